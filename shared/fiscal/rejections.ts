// SEFAZ rejection codes (cStat) and Focus API error codes → what the manager or cashier should do,
// in plain Portuguese. The SEFAZ text itself is kept in the default so nothing is hidden.

export interface RejectionExplanation {
  title: string;
  fix: string;
}

const BY_CSTAT: Readonly<Record<string, RejectionExplanation>> = {
  '539': {
    title: 'Nota duplicada (mesmo número já usado)',
    fix: 'A SEFAZ já recebeu uma nota com este número e série. Consulte a nota antes de reenviar; se ela já foi autorizada, não emita de novo. Se persistir, avise o suporte para ajustar a numeração.',
  },
  '204': {
    title: 'Nota duplicada (mesmo número já usado)',
    fix: 'A SEFAZ já recebeu uma nota com este número e série. Consulte a nota antes de reenviar; se ela já foi autorizada, não emita de novo.',
  },
  '703': {
    title: 'Data de emissão no futuro',
    fix: 'O relógio deste computador está adiantado. Acerte a data, a hora e o fuso horário do Windows (horário de Brasília, sincronizado pela internet) e envie a nota de novo.',
  },
  '704': {
    title: 'Data de emissão atrasada',
    fix: 'O relógio deste computador está atrasado (ou a nota ficou tempo demais na fila). Acerte a data, a hora e o fuso horário do Windows e envie de novo.',
  },
  '778': {
    title: 'NCM inexistente',
    fix: 'Um produto da venda tem um NCM que não existe na tabela oficial. Peça ao contador o NCM correto, corrija no cadastro do produto e envie de novo.',
  },
  '591': {
    title: 'CSOSN/CST não combina com o regime tributário',
    fix: 'Um produto usa CSOSN (Simples Nacional) mas a empresa não é do Simples, ou o contrário. Confira com o contador o regime da empresa e a tributação dos produtos.',
  },
  '590': {
    title: 'CST/CSOSN não combina com o regime tributário',
    fix: 'A tributação de ICMS de um produto não combina com o regime da empresa. Confira com o contador a tributação dos produtos.',
  },
  '464': {
    title: 'QR Code inválido (CSC)',
    fix: 'O código de segurança (CSC) cadastrado não confere com o da SEFAZ. Confira o CSC e o seu identificador no portal da SEFAZ e no cadastro da empresa na Focus.',
  },
  '462': {
    title: 'Identificador do CSC não encontrado',
    fix: 'O identificador do CSC (id token) cadastrado não existe na SEFAZ para este ambiente. Confira o CSC de produção/homologação no portal da SEFAZ e na Focus.',
  },
  '463': {
    title: 'CSC revogado',
    fix: 'O código de segurança (CSC) em uso foi revogado. Gere um CSC novo no portal da SEFAZ e atualize o cadastro da empresa na Focus.',
  },
  '373': {
    title: 'Descrição obrigatória em homologação',
    fix: 'Em homologação (teste) a descrição do primeiro item deve ser o texto padrão da SEFAZ. Confira se o ambiente configurado é mesmo o de homologação.',
  },
  '598': {
    title: 'Nome do consumidor obrigatório em homologação',
    fix: 'Em homologação (teste) o nome do destinatário deve ser o texto padrão da SEFAZ. Confira se o ambiente configurado é mesmo o de homologação.',
  },
  '767': {
    title: 'Pagamentos não conferem com o total',
    fix: 'A soma das formas de pagamento menos o troco não é igual ao total da nota. Refaça o pagamento da venda.',
  },
  '501': {
    title: 'Prazo de cancelamento encerrado',
    fix: 'A SEFAZ só aceita cancelar uma NFC-e até 30 minutos depois da emissão. A nota continua autorizada e não adianta enviar de novo. Para desfazer a venda, faça a devolução da mercadoria com uma nota de entrada (fale com o contador).',
  },
  '869': {
    title: 'Troco informado errado',
    fix: 'O troco da nota não é a diferença entre o valor pago e o total. Avise o suporte: é um erro de cálculo do sistema.',
  },
  '1115': {
    title: 'IBS/CBS não informado',
    fix: 'A SEFAZ exige o grupo IBS/CBS (reforma tributária) nesta nota. Confira o regime tributário da empresa em Configurações e ative "Enviar IBS/CBS"; depois reenvie a nota.',
  },
  '1026': {
    title: 'Alíquota do IBS estadual diferente da vigente',
    fix: 'A alíquota do IBS da UF enviada não é a vigente na data da nota. Atualize o Balcão (tabela de alíquotas) e reenvie a nota.',
  },
  '1027': {
    title: 'Alíquota do IBS estadual diferente da vigente',
    fix: 'A alíquota do IBS da UF enviada não é a vigente na data da nota. Atualize o Balcão (tabela de alíquotas) e reenvie a nota.',
  },
  '1036': {
    title: 'Alíquota do IBS municipal diferente da vigente',
    fix: 'A alíquota do IBS do município enviada não é a vigente na data da nota. Atualize o Balcão (tabela de alíquotas) e reenvie a nota.',
  },
  '1037': {
    title: 'Alíquota da CBS diferente da vigente',
    fix: 'A alíquota da CBS enviada não é a vigente na data da nota. Atualize o Balcão (tabela de alíquotas) e reenvie a nota.',
  },
  '1118': {
    title: 'Totais de IBS/CBS não permitidos para a classificação',
    fix: 'A classificação tributária (CST/cClassTrib) de um produto não permite totais de IBS/CBS. Peça ao contador a classificação correta, corrija o cadastro e reenvie.',
  },
  '865': {
    title: 'Pagamento menor que o total',
    fix: 'O total pago é menor que o valor da nota. Refaça o pagamento da venda.',
  },
  '866': {
    title: 'Troco não informado',
    fix: 'O valor pago passou do total e o troco não foi informado. Refaça o pagamento da venda.',
  },
  '531': {
    title: 'Total da base de cálculo do ICMS não confere',
    fix: 'O total do ICMS não bate com a soma dos itens. Avise o suporte: é um erro de cálculo do sistema.',
  },
  '532': {
    title: 'Total do ICMS não confere',
    fix: 'O valor total do ICMS não bate com a soma dos itens. Avise o suporte: é um erro de cálculo do sistema.',
  },
  '610': {
    title: 'Total da nota não confere',
    fix: 'O total da nota não bate com a soma dos produtos, descontos e acréscimos. Avise o suporte: é um erro de cálculo do sistema.',
  },
  '897': {
    title: 'Código numérico da chave inválido',
    fix: 'O código aleatório da chave (cNF) é proibido ou igual ao número da nota. Envie de novo; se persistir, avise o suporte.',
  },
  '301': {
    title: 'Uso denegado: irregularidade do emitente',
    fix: 'A SEFAZ negou a nota por irregularidade fiscal da empresa. O número foi consumido; não tente reenviar. Fale com o contador para regularizar a inscrição estadual.',
  },
  '302': {
    title: 'Uso denegado: irregularidade do destinatário',
    fix: 'A SEFAZ negou a nota por irregularidade do CPF/CNPJ do consumidor. O número foi consumido; faça uma nova venda sem identificar o consumidor ou com outro documento.',
  },
  '750': {
    title: 'Consumidor precisa ser identificado',
    fix: 'Para este valor de venda a SEFAZ exige o CPF ou CNPJ do consumidor. Informe o documento e envie de novo.',
  },
  '780': {
    title: 'Valor acima do limite da NFC-e',
    fix: 'O total passa do limite permitido para NFC-e neste estado. Emita uma NF-e (modelo 55) para esta venda.',
  },
  '712': {
    title: 'Contingência off-line não permitida',
    fix: 'Este estado não aceita NFC-e em contingência off-line. Emita a nota quando a internet voltar.',
  },
};

const BY_API_CODE: Readonly<Record<string, RejectionExplanation>> = {
  csc_nao_configurado: {
    title: 'CSC não cadastrado na Focus',
    fix: 'A empresa não tem o CSC (código de segurança do consumidor) e o seu identificador (Id Token) cadastrados na Focus para este ambiente. O gerente gera o CSC no portal da SEFAZ e o cadastra no painel da Focus (Empresas → NFC-e); depois reenvie a nota. A venda está guardada.',
  },
  nao_autorizado: {
    title: 'Token da Focus recusado',
    fix: 'A Focus não aceitou o token deste ambiente (produção/homologação). O gerente deve colar o token correto em Configurações → Token da Focus; a venda fica guardada e é enviada quando o token for corrigido.',
  },
  certificado_vencido: {
    title: 'Certificado digital vencido',
    fix: 'O certificado A1 da empresa venceu. Renove o certificado com a certificadora e envie o novo arquivo para a Focus; até lá nenhuma nota pode ser autorizada.',
  },
  empresa_nao_habilitada: {
    title: 'Empresa não habilitada para NFC-e',
    fix: 'A empresa não está habilitada para emitir NFC-e na Focus. Ative a NFC-e no painel da Focus (ou fale com o suporte).',
  },
  empresa_nao_configurada: {
    title: 'CSC não cadastrado',
    fix: 'Falta cadastrar o CSC e o seu identificador deste ambiente no painel da Focus.',
  },
  ambiente_nao_configurado: {
    title: 'Ambiente não configurado',
    fix: 'A NFC-e não está configurada na Focus para este ambiente (produção/homologação). Confira o cadastro da empresa.',
  },
  permissao_negada: {
    title: 'Acesso negado pela Focus',
    fix: 'O token da Focus não tem permissão para este CNPJ, ou foi bloqueado. Confira o token e o CNPJ nas configurações.',
  },
  requisicao_invalida: {
    title: 'Dados da nota recusados pela Focus',
    fix: 'A Focus recusou os dados enviados. Confira a mensagem abaixo e avise o suporte se não souber corrigir.',
  },
  erro_validacao_schema: {
    title: 'Dados da nota em formato inválido',
    fix: 'Algum campo da nota está em formato inválido. Confira a mensagem abaixo (produto, CPF/CNPJ, NCM) e corrija o cadastro.',
  },
  limite_requisicoes_excedido: {
    title: 'Muitas requisições à Focus',
    fix: 'O limite de requisições por minuto foi atingido. A nota será enviada de novo em instantes.',
  },
};

function normalizeCstat(s: string | undefined): string | undefined {
  if (s === undefined || s === null) return undefined;
  const m = /\d{3,4}/.exec(String(s));
  return m ? String(Number(m[0])) : undefined;
}

/**
 * A title and a concrete next step for a rejection. `statusSefaz` is Focus's status_sefaz (cStat),
 * `mensagem` the SEFAZ/Focus text, `codigoApi` the Focus error `codigo` when the API refused the call.
 * The SEFAZ message is appended to the fix so the manager can tell the accountant exactly what was said.
 */
export function explainRejection(statusSefaz: string | undefined, mensagem: string | undefined, codigoApi?: string): RejectionExplanation {
  const text = (mensagem ?? '').trim();
  const withText = (e: RejectionExplanation): RejectionExplanation => (text ? { title: e.title, fix: `${e.fix} (Mensagem: ${text})` } : e);
  if (codigoApi && BY_API_CODE[codigoApi]) return withText(BY_API_CODE[codigoApi]);
  const cstat = normalizeCstat(statusSefaz);
  if (cstat && BY_CSTAT[cstat]) return withText(BY_CSTAT[cstat]);
  const title = cstat ? `Nota rejeitada pela SEFAZ (código ${cstat})` : codigoApi ? `Erro na Focus (${codigoApi})` : 'Nota não autorizada';
  const fix = text
    ? `${!cstat && codigoApi ? 'A Focus' : 'A SEFAZ'} informou: "${text}". Corrija o que a mensagem indica e envie de novo; se não souber o que fazer, mostre esta mensagem ao contador ou ao suporte.`
    : 'A nota não foi autorizada e o motivo não foi informado. Consulte a nota de novo em instantes; se continuar assim, avise o suporte.';
  return { title, fix };
}
