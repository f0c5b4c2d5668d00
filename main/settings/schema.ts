// What a terminal remembers between launches (small, non-secret). Tokens and the certificate
// live in the secret vault; only their presence and public metadata appear here.
import { z } from 'zod';
import { Emitter, Environment } from '../../shared/sale.ts';
import { PrinterSettings } from '../../shared/contract.ts';
import { DEMO_EMITTER } from '../demo/emitter.ts';
import { DEFAULT_PIX_SETTINGS, PixSettings } from '../../shared/pix/settings.ts';

export const ScaleLabelMode = z.enum(['price', 'weight']);
export type ScaleLabelMode = z.infer<typeof ScaleLabelMode>;

export const CertificateMeta = z.object({ subject: z.string(), expiresAt: z.string() });

export const DEFAULT_PRINTER: PrinterSettings = {
  kind: 'none',
  width: 48,
  codePage: 'cp860',
  nativeQr: true,
  summary: false,
};

export const Settings = z.object({
  environment: Environment.default('homologacao'),
  emitter: Emitter.default(DEMO_EMITTER),
  serie: z.string().regex(/^\d{1,3}$/).default('1'),
  contingencySerie: z.string().regex(/^\d{1,3}$/).default('900'),
  /** Part of every Focus ref, so two terminals sharing a token never collide. */
  terminalId: z.string().regex(/^[A-Za-z0-9]{1,12}$/).default('CX01'),
  discountLimitBp: z.number().int().min(0).max(10_000).default(1_000),
  authorizationDeadlineMs: z.number().int().min(3_000).max(120_000).default(15_000),
  printer: PrinterSettings.default(DEFAULT_PRINTER),
  qrVersion: z.union([z.literal(2), z.literal(3)]).default(2),
  /** What the 5 digits after the PLU on a scale label mean (the shop's scale decides). */
  scaleLabel: ScaleLabelMode.default('price'),
  certificate: CertificateMeta.nullable().default(null),
  /** Override of the Focus host per environment (a self-hosted sandbox, a proxy). Not public. */
  focusUrls: z.object({ producao: z.string().url().optional(), homologacao: z.string().url().optional() }).default({}),
  /** PIX at the till (API Pix); the client secret and certificate are in the vault. */
  pix: PixSettings.default(DEFAULT_PIX_SETTINGS),
  /** Validity of the PSP client certificate in the vault (shown to the manager), or null. */
  pixCertificateExpiresAt: z.string().nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

export const FOCUS_URLS: Record<Environment, string> = {
  producao: 'https://api.focusnfe.com.br',
  homologacao: 'https://homologacao.focusnfe.com.br',
};
