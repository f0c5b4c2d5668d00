// What a terminal remembers between launches (small, non-secret). Tokens and the certificate
// live in the secret vault; only their presence and public metadata appear here.
import { z } from 'zod';
import { Emitter, Environment } from '../../shared/sale.ts';
import { PrinterSettings } from '../../shared/contract.ts';
import { SCALE_FORMAT_IDS } from '../../shared/catalog/scale.ts';
import { KeyMapOverrides } from '../../shared/keymap-schema.ts';
import { PisCofinsRegime } from '../../shared/fiscal/pis-cofins.ts';
import { DEFAULT_LOOSE_ITEM, LooseItemSettings } from '../../shared/catalog/loose.ts';
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

/** Where the lane's store server is and who it is there (not secret; the credential is in the vault). */
export const StoreLink = z.object({
  url: z.string().url(),
  storeId: z.string().min(1).max(80),
  storeName: z.string().max(120),
  laneId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  laneName: z.string().min(1).max(60),
  /** SHA-256 of the store's TLS certificate, pinned at pairing; null on loopback http. */
  certFingerprint256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  pairedAtMs: z.number().int().min(0),
});
export type StoreLink = z.infer<typeof StoreLink>;

/** Which profile this terminal runs: not chosen yet (first-run setup), the demo shop, or a real shop. */
export const ProfileMode = z.enum(['unset', 'demo', 'real']);
export type ProfileMode = z.infer<typeof ProfileMode>;

export const SETUP_STEPS = ['token', 'emitter', 'taxProfiles', 'fiscal', 'certificate', 'printer', 'terminal', 'manager'] as const;

export const Settings = z.object({
  mode: ProfileMode.default('unset'),
  /** Steps of the first-run setup already saved (it resumes where the manager stopped). */
  setupDone: z.array(z.enum(SETUP_STEPS)).default([]),
  /** True once the first-run setup finished (a real profile needs it to sell). */
  setupComplete: z.boolean().default(false),
  environment: Environment.default('homologacao'),
  /** The shop's own emitter; null until the setup saves it (never the demo shop's). */
  emitter: Emitter.nullable().default(null),
  /** CSC identifier per environment (the CSC itself is a secret, in the vault). */
  cscId: z
    .object({
      producao: z
        .string()
        .regex(/^\d{1,6}$/)
        .optional(),
      homologacao: z
        .string()
        .regex(/^\d{1,6}$/)
        .optional(),
    })
    .default({}),
  /** Minutes without activity before the till locks (0: never). */
  idleLockMinutes: z.number().int().min(0).max(240).default(10),
  /** Removing a cart line worth more than this needs a manager (cents); -1 never. */
  cancelItemApprovalAboveCents: z.number().int().min(-1).max(100_000_000).default(5_000),
  /** Cancelling the sale in progress worth more than this needs a manager; 0: always. */
  cancelSaleApprovalAboveCents: z.number().int().min(-1).max(100_000_000).default(0),
  /** Seconds a logged-in manager is not asked their own PIN again. */
  managerGraceSeconds: z.number().int().min(0).max(900).default(120),
  /** Electron without a keyring: the manager accepted weaker secret storage. */
  weakStorageAccepted: z.boolean().default(false),
  serie: z
    .string()
    .regex(/^\d{1,3}$/)
    .default('1'),
  contingencySerie: z
    .string()
    .regex(/^\d{1,3}$/)
    .default('900'),
  /** Part of every Focus ref, so two terminals sharing a token never collide. */
  terminalId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,12}$/)
    .default('CX01'),
  discountLimitBp: z.number().int().min(0).max(10_000).default(1_000),
  authorizationDeadlineMs: z.number().int().min(3_000).max(120_000).default(15_000),
  printer: PrinterSettings.default(DEFAULT_PRINTER),
  qrVersion: z.union([z.literal(2), z.literal(3)]).default(2),
  /** What the 5 digits after the PLU on a scale label mean (the shop's scale decides). */
  scaleLabel: ScaleLabelMode.default('price'),
  /** Send IBS/CBS before the law requires it for the shop's regime (CRT 1/2/4 before 04/01/2027). */
  ibsCbsEarlyStart: z.boolean().default(false),
  /** Item avulso at the till (shared/catalog/loose.ts): off until the manager enables it. */
  looseItem: LooseItemSettings.default(DEFAULT_LOOSE_ITEM),
  /** The company's PIS/COFINS regime (CRT 3): the rates of CST 01 items. */
  pisCofinsRegime: PisCofinsRegime.default('cumulativo'),
  /** Register ECONF (payment data) right after authorization for sales with electronic payments (where the UF asks). */
  econfAfterAuthorization: z.boolean().default(false),
  /** Selling needs an open register session (abertura with the opening float). */
  registerRequired: z.boolean().default(true),
  /** Layout of the scale's EAN-13 labels (shared/catalog/scale.ts). */
  scaleFormat: z.enum(SCALE_FORMAT_IDS).default('p5v6'),
  certificate: CertificateMeta.nullable().default(null),
  /** Where hot backups of the journal go (a USB disk, a network share); null: none yet. */
  backupDir: z.string().min(1).max(1000).nullable().default(null),
  /** Print the receipt by itself once the note is authorized or issued in contingency. */
  autoPrint: z.boolean().default(true),
  /** The manager's changes to the checkout's key map (shared/keymap.ts). */
  keyMap: KeyMapOverrides.default({}),
  /** Override of the Focus host per environment (a self-hosted sandbox, a proxy). Not public. */
  focusUrls: z.object({ producao: z.string().url().optional(), homologacao: z.string().url().optional() }).default({}),
  /** PIX at the till (API Pix); the client secret and certificate are in the vault. */
  pix: PixSettings.default(DEFAULT_PIX_SETTINGS),
  /** The store server this lane is paired with (issue #16); null: a lane on its own. The credential is in the vault. */
  store: StoreLink.nullable().default(null),
  /** Validity of the PSP client certificate in the vault (shown to the manager), or null. */
  pixCertificateExpiresAt: z.string().nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

export const FOCUS_URLS: Record<Environment, string> = {
  producao: 'https://api.focusnfe.com.br',
  homologacao: 'https://homologacao.focusnfe.com.br',
};
