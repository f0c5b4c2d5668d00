// The company the sandbox knows: one demo emitter (the app reuses it as its demo shop; the sandbox
// itself may not import main/), its CSCs and token generation.
import { randomBytes } from 'node:crypto';
import type { Emitter, Environment } from '../../shared/sale.ts';
import type { CscInfo } from './types.ts';

/** Padaria Bom Dia, Curitiba/PR, Simples Nacional. CNPJ and IE carry valid check digits. */
export const SANDBOX_EMITTER: Emitter = {
  cnpj: '45286317000174',
  ie: '9012345663',
  name: 'PADARIA E MERCEARIA BOM DIA LTDA',
  tradeName: 'Padaria Bom Dia',
  crt: 1,
  uf: 'PR',
  address: {
    street: 'Rua XV de Novembro',
    number: '1200',
    district: 'Centro',
    city: 'Curitiba',
    cityCode: '4106902',
    cep: '80060000',
    phone: '4133334444',
  },
};

/** csc_nfce_* / id_token_nfce_* of the demo company. Fictitious; homologation and production differ. */
export const SANDBOX_CSC: Readonly<Record<Environment, CscInfo>> = {
  homologacao: { id: '000001', csc: 'BALCAO0HOMOLOG0CSC0DEMO0A1B2C3D4E5F6' },
  producao: { id: '000002', csc: 'BALCAO0PRODUCAO0CSC0DEMO0F6E5D4C3B2A1' },
};

/** Focus tokens look like 32 alphanumeric characters. */
export function newToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** Version string that goes into verAplic / versao_aplicativo. */
export const SANDBOX_APP_VERSION = 'BALCAO-SANDBOX-1.0';
