// The shop's PIX configuration as the manager sees it (no secrets: the client secret and the
// client certificate live in main's vault and never cross to the renderer).
import { z } from 'zod';

export const PixSettings = z.object({
  /** Dynamic charges confirmed by the PSP (API Pix). */
  enabled: z.boolean().default(false),
  /** The PSP's API base URL (https). */
  baseUrl: z
    .string()
    .url({ message: 'endereço do PSP inválido' })
    .refine((u) => u.startsWith('https://'), { message: 'o endereço do PSP deve começar com https://' })
    .nullable()
    .default(null),
  /** The token endpoint when the PSP does not serve it at `${baseUrl}/oauth/token`. */
  tokenUrl: z.string().url().nullable().default(null),
  clientId: z.string().trim().max(200).default(''),
  /** The shop's Pix key (e-mail, CPF/CNPJ, +55 phone or random key). */
  key: z.string().trim().max(77).default(''),
  /** CNPJ of the PSP that holds the account: cnpj_credenciadora on the NFC-e. */
  pspCnpj: z
    .string()
    .regex(/^$|^[0-9A-Z]{12}\d{2}$/, { message: 'CNPJ do PSP inválido' })
    .default(''),
  /** How long a charge can be paid, in seconds. */
  expirySeconds: z.number().int().min(60).max(3_600).default(300),
  /** Static Pix (tPag 20, not confirmed by the bank) as a fallback. */
  staticFallback: z.boolean().default(false),
});
export type PixSettings = z.infer<typeof PixSettings>;

export const DEFAULT_PIX_SETTINGS: PixSettings = PixSettings.parse({});

/** What the manager pastes from the PSP's portal; stored as one unit in the vault. */
export const PixCredentialsInput = z.object({
  clientSecret: z.string().trim().min(1, { message: 'informe o client secret' }).max(500),
  /** Client certificate and private key, PEM. */
  certPem: z.string().includes('BEGIN CERTIFICATE', { message: 'o certificado deve estar em formato PEM' }).max(20_000),
  keyPem: z.string().includes('PRIVATE KEY', { message: 'a chave privada deve estar em formato PEM' }).max(20_000),
  /** The PSP's CA when it is not a public one (homologation environments). */
  caPem: z.string().includes('BEGIN CERTIFICATE').max(20_000).optional(),
});
export type PixCredentialsInput = z.infer<typeof PixCredentialsInput>;
