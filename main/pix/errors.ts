// PIX failures the cashier or manager can act on, each with a stable code and the fix in pt-BR.
import { UserFacingError } from '../../shared/errors.ts';
import type { PixFailureCode } from './client.ts';

export type PixErrorCode =
  | PixFailureCode
  | 'pix_not_configured'
  | 'pix_static_disabled'
  | 'pix_bad_amount'
  | 'pix_not_found'
  | 'pix_not_paid'
  | 'pix_amount_mismatch'
  | 'pix_wrong_sale'
  | 'pix_not_refundable'
  | 'pix_refund_failed'
  | 'pix_expired'
  | 'pix_pending';

export const PIX_MESSAGES: Readonly<Record<PixErrorCode, string>> = {
  pix_auth: 'O PSP recusou as credenciais do Pix (client id ou segredo). O gerente deve conferir em Configurações › Pix. Receba por outro meio.',
  pix_client_cert_expired: 'O certificado do Pix venceu. O gerente deve instalar o novo certificado do PSP em Configurações › Pix. Receba por outro meio.',
  pix_tls: 'A conexão segura com o PSP falhou (certificado recusado ou não confiável). O gerente deve conferir o certificado em Configurações › Pix.',
  pix_unreachable: 'Não foi possível conectar ao PSP (internet, endereço ou certificado recusado). Receba por outro meio ou tente de novo.',
  pix_timeout: 'O PSP não respondeu a tempo. A cobrança será conferida automaticamente; se preferir, receba por outro meio.',
  pix_unavailable: 'O PSP está indisponível no momento. Tente de novo em instantes ou receba por outro meio.',
  pix_malformed: 'O PSP respondeu algo que não é uma resposta válida da API Pix. A cobrança será conferida automaticamente.',
  pix_refused: 'O PSP recusou a cobrança. O gerente deve conferir a chave Pix e o cadastro no PSP. Receba por outro meio.',
  pix_not_configured: 'O Pix com confirmação não está configurado neste caixa. O gerente pode configurá-lo em Configurações › Pix.',
  pix_static_disabled: 'O Pix estático (sem confirmação do banco) está desativado. O gerente pode ativá-lo em Configurações › Pix.',
  pix_bad_amount: 'Valor do Pix inválido: informe um valor maior que zero.',
  pix_not_found: 'Cobrança Pix não encontrada.',
  pix_not_paid: 'O Pix desta venda ainda não foi confirmado pelo banco. Aguarde a confirmação ou receba por outro meio.',
  pix_amount_mismatch: 'O valor pago no Pix não confere com o valor da cobrança. Chame o gerente.',
  pix_wrong_sale: 'Esta cobrança Pix pertence a outra venda.',
  pix_not_refundable: 'Este Pix não pode ser devolvido (já usado em uma venda ou já devolvido).',
  pix_refund_failed: 'O PSP não realizou a devolução. Tente de novo ou devolva pelo aplicativo do banco.',
  pix_expired: 'A cobrança Pix expirou sem pagamento. Gere uma nova cobrança ou receba por outro meio.',
  pix_pending: 'A cobrança Pix ainda está sendo conferida com o PSP. Aguarde um instante.',
};

export class PixError extends UserFacingError<PixErrorCode> {
  constructor(code: PixErrorCode, options: { cause?: unknown } = {}) {
    super(code, PIX_MESSAGES[code], options);
  }
}

export function pixMessage(code: string): string {
  return (PIX_MESSAGES as Record<string, string>)[code] ?? 'Problema na cobrança Pix. Chame o gerente.';
}

export class PixCredentialsError extends UserFacingError<'pix_credentials_invalid'> {
  constructor() {
    super(
      'pix_credentials_invalid',
      'O certificado e a chave privada do Pix não formam um par válido (ou não estão em formato PEM). Baixe de novo o certificado no portal do PSP.',
    );
  }
}
