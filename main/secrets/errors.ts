// Why a secret cannot be read or written, in words a store manager can act on. The core maps a
// real profile whose token cannot be read to the "secrets needed" screen on these codes.
import { UserFacingError } from '../../shared/errors.ts';

export type VaultErrorCode = 'vault_key_missing' | 'vault_key_damaged' | 'secret_damaged' | 'keyring_unavailable' | 'weak_storage_not_accepted';

const MESSAGES: Record<VaultErrorCode, string> = {
  vault_key_missing:
    'A chave que protege o token e o certificado deste caixa não foi encontrada (pode ter sido apagada ou o caixa foi copiado para outra máquina). Nenhuma venda foi perdida: o gerente deve informar o token da Focus NFe (e o certificado) de novo.',
  vault_key_damaged:
    'A chave que protege o token e o certificado deste caixa está danificada. Nenhuma venda foi perdida: o gerente deve informar o token da Focus NFe (e o certificado) de novo.',
  secret_damaged:
    'O token ou o certificado guardado neste caixa não pode ser lido (arquivo danificado ou protegido por outra chave). O gerente deve informá-lo de novo.',
  keyring_unavailable:
    'O chaveiro do sistema (onde o token foi guardado) não está disponível nesta sessão. Entre na sessão do usuário com o chaveiro desbloqueado, ou o gerente informa o token de novo.',
  weak_storage_not_accepted:
    'Este computador não tem um chaveiro do sistema para proteger o token. O gerente precisa aceitar guardar os segredos com proteção mais fraca (arquivo criptografado com a chave no mesmo computador) antes de continuar.',
};

export class VaultError extends UserFacingError<VaultErrorCode> {
  constructor(code: VaultErrorCode, cause?: unknown) {
    super(code, MESSAGES[code], cause === undefined ? {} : { cause });
  }
}
