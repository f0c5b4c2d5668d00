// The DANFCe Focus serves at caminho_danfe: an HTML page (never PDF for NFC-e). Simple but complete
// enough for a person to read: emitter, items, totals, payments, chave, QR code, protocol.
import QRCode from 'qrcode';
import { formatChave } from '../../shared/fiscal/chave.ts';
import { formatCnpj, formatCpf } from '../../shared/fiscal/cpf-cnpj.ts';
import { HOMOLOG_RECEIPT_MESSAGE } from '../../shared/fiscal/homologation.ts';
import { paymentLabel } from '../../shared/fiscal/tpag.ts';
import type { Emitter } from '../../shared/sale.ts';
import { centsText, scaledText } from './decimal.ts';
import type { NormNote } from './validation.ts';
import type { SandboxNote } from './types.ts';
import { escapeXml as esc, sefazTime } from './xml.ts';

const brl = (cents: bigint) => centsText(cents).replace('.', ',');

export async function danfceHtml(note: SandboxNote, norm: NormNote, emitter: Emitter): Promise<string> {
  const chave = note.chave as string;
  const qrSvg = note.qrcodeUrl ? await QRCode.toString(note.qrcodeUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }) : '';
  const pending = note.contingency !== null && !note.contingency.efetivada;
  const rows = norm.items
    .map(
      (it) =>
        `<tr><td>${it.n}</td><td>${esc(it.codigo)}</td><td>${esc(it.descricao)}</td><td class="n">${scaledText(it.qCom, 4).replace('.', ',')}</td><td>${esc(it.uCom)}</td><td class="n">${brl(it.vProd)}</td></tr>`,
    )
    .join('');
  const pays = norm.payments.map((p) => `<tr><td>${esc(paymentLabel(p.tPag, p.xPag ?? undefined))}</td><td class="n">${brl(p.vPag)}</td></tr>`).join('');
  const dest = norm.dest
    ? `<p>CONSUMIDOR ${norm.dest.cpf ? `CPF: ${formatCpf(norm.dest.cpf)}` : norm.dest.cnpj ? `CNPJ: ${formatCnpj(norm.dest.cnpj)}` : ''} ${esc(norm.dest.nome ?? '')}</p>`
    : '<p>CONSUMIDOR NÃO IDENTIFICADO</p>';
  const a = emitter.address;
  return `<!DOCTYPE html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>DANFE NFC-e ${esc(String(note.numero))}</title>
<style>body{font-family:monospace;max-width:80mm;margin:auto}table{width:100%;border-collapse:collapse}.n{text-align:right}h1,h2{font-size:1em;text-align:center}.aviso{font-weight:bold;text-align:center}</style></head>
<body>
<h1>${esc(emitter.name)}</h1>
<p>CNPJ: ${formatCnpj(emitter.cnpj)} IE: ${esc(emitter.ie)}<br>${esc(a.street)}, ${esc(a.number)} - ${esc(a.district)} - ${esc(a.city)}/${emitter.uf}</p>
<h2>DANFE NFC-e - Documento Auxiliar da Nota Fiscal de Consumidor Eletrônica</h2>
${note.env === 'homologacao' ? `<p class="aviso">${esc(HOMOLOG_RECEIPT_MESSAGE)}</p>` : ''}
${note.tpEmis === 9 ? '<p class="aviso">EMITIDA EM CONTINGÊNCIA</p>' : ''}
${pending ? '<p class="aviso">Pendente de autorização</p>' : ''}
<table><thead><tr><th>#</th><th>Código</th><th>Descrição</th><th>Qtde</th><th>UN</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table>
<table>
<tr><td>Qtde. total de itens</td><td class="n">${norm.items.length}</td></tr>
<tr><td>Valor total R$</td><td class="n">${brl(norm.totals.vProd)}</td></tr>
${norm.totals.vDesc > 0n ? `<tr><td>Descontos R$</td><td class="n">${brl(norm.totals.vDesc)}</td></tr>` : ''}
<tr><td><b>Valor a pagar R$</b></td><td class="n"><b>${brl(norm.totals.vNF)}</b></td></tr>
<tr><td>FORMA DE PAGAMENTO</td><td class="n">VALOR PAGO R$</td></tr>${pays}
${norm.troco !== null && norm.troco > 0n ? `<tr><td>Troco R$</td><td class="n">${brl(norm.troco)}</td></tr>` : ''}
</table>
<p>Consulte pela Chave de Acesso em<br>${esc(note.urlConsulta ?? '')}</p>
<p class="chave">${formatChave(chave)}</p>
${dest}
<p>NFC-e nº ${note.numero} Série ${note.serie} ${esc(note.dataEmissao ?? '')}</p>
${note.protocolo && note.authorizedAt ? `<p>Protocolo de autorização: ${note.protocolo}<br>Data de autorização: ${sefazTime(note.authorizedAt)}</p>` : ''}
<div class="qrcode">${qrSvg}</div>
${norm.totals.vTotTrib > 0n ? `<p>Tributos totais incidentes (Lei Federal 12.741/2012): R$ ${brl(norm.totals.vTotTrib)}</p>` : ''}
${norm.infCpl ? `<p>${esc(norm.infCpl)}</p>` : ''}
</body></html>`;
}
