// Fault injection state shared by the in-process controls and the admin HTTP API. Count faults
// are consumed by the next matching API requests; mode faults (sefazDown, dropConnections…) stay
// until changed.
import { z } from 'zod';
import type { CountFault, SandboxFaults } from './types.ts';

const match = z.object({ method: z.string().min(1).max(10).optional(), pathPrefix: z.string().min(1).max(300).optional() }).strict();
const count = z.number().int().min(0).max(1_000_000);
const latency = z.union([z.number().int().min(0).max(600_000), z.tuple([z.number().int().min(0).max(600_000), z.number().int().min(0).max(600_000)])]);
const cStat = z.string().regex(/^\d{3}$/, 'status_sefaz deve ter 3 dígitos');

/** zod schema of POST /__sandbox/faults (and controls.set), so a typo is an error, not a silent no-op. */
export const FaultsSchema = z
  .object({
    latencyMs: latency.optional(),
    hang: z.object({ count, match: match.optional(), afterCommit: z.boolean().optional() }).strict().optional(),
    resetAfterCommit: z.object({ count, match: match.optional() }).strict().optional(),
    serverError: z
      .object({ count, match: match.optional(), status: z.number().int().min(500).max(599).optional() })
      .strict()
      .optional(),
    malformed: z.object({ count, match: match.optional() }).strict().optional(),
    reject: z
      .object({ count, match: match.optional(), status_sefaz: cStat, mensagem_sefaz: z.string().min(1).max(500) })
      .strict()
      .optional(),
    deny: z
      .object({ count, match: match.optional(), status_sefaz: cStat.optional(), mensagem_sefaz: z.string().min(1).max(500).optional() })
      .strict()
      .optional(),
    sefazDown: z
      .union([z.boolean(), z.object({ originalAuthorized: z.boolean().optional(), effectivation: z.enum(['ok', 'fail']).optional() }).strict()])
      .optional(),
    contingencyEnabled: z.boolean().optional(),
    outageStatusSefaz: cStat.optional(),
    outageMensagemSefaz: z.string().min(1).max(500).optional(),
    rateLimit: z.number().int().min(0).max(1_000_000).optional(),
    dropConnections: z.boolean().optional(),
    badTokenStatus: z.union([z.literal(401), z.literal(403)]).optional(),
    failedEffectivationStatus: z.enum(['autorizado', 'erro_autorizacao']).optional(),
    ibsCbs: z
      .object({
        crt3From: z
          .object({ producao: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), homologacao: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })
          .strict()
          .nullable()
          .optional(),
        simplesFrom: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .nullable()
          .optional(),
        totals: z.enum(['strict', 'lenient']).optional(),
        reject1118: z.boolean().optional(),
        valueStatusSefaz: z
          .string()
          .regex(/^\d{3,4}$/)
          .optional(),
      })
      .strict()
      .optional(),
    payments: z
      .object({ style: z.enum(['detailed', '767']).optional(), fillTroco: z.boolean().optional() })
      .strict()
      .optional(),
    slowSefaz: z.boolean().optional(),
    proxyNotFound: z.object({ count, match: match.optional() }).strict().optional(),
    conflict: z.object({ count, match: match.optional(), afterCommit: z.boolean().optional() }).strict().optional(),
    badTokenBody: z.enum(['text', 'empty']).optional(),
    company: z
      .object({
        nfceEnabled: z.boolean().optional(),
        cscConfigured: z.boolean().optional(),
        idTokenConfigured: z.boolean().optional(),
        cscError: z.enum(['erro_validacao', 'empresa_nao_configurada']).optional(),
        crt: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
        environmentConfigured: z.boolean().optional(),
        certificateExpired: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CountKind = 'hang' | 'resetAfterCommit' | 'serverError' | 'malformed' | 'reject' | 'deny' | 'proxyNotFound' | 'conflict';

/** Faults that act on SEFAZ's answer apply to emissions (exactly POST /v2/nfce) unless told otherwise. */
const EMISSION = { method: 'POST', path: '/v2/nfce' } as const;

export class FaultState {
  private current: SandboxFaults = {};

  set(patch: SandboxFaults): void {
    const parsed = FaultsSchema.parse(patch) as SandboxFaults;
    const next: SandboxFaults = { ...this.current };
    for (const [k, v] of Object.entries(parsed)) {
      if (v === undefined) continue;
      if (k === 'company') next.company = { ...this.current.company, ...(v as SandboxFaults['company']) };
      else if (k === 'ibsCbs') next.ibsCbs = { ...this.current.ibsCbs, ...(v as SandboxFaults['ibsCbs']) };
      else if (k === 'payments') next.payments = { ...this.current.payments, ...(v as SandboxFaults['payments']) };
      else (next as Record<string, unknown>)[k] = v;
    }
    this.current = next;
  }

  get(): SandboxFaults {
    return structuredClone(this.current);
  }

  reset(): void {
    this.current = {};
  }

  /** Whether a count fault of `kind` applies to this request; if so, consume one. */
  take<K extends CountKind>(
    kind: K,
    method: string,
    path: string,
    extra?: (f: NonNullable<SandboxFaults[K]>) => boolean,
  ): NonNullable<SandboxFaults[K]> | null {
    const f = this.current[kind] as (CountFault & Record<string, unknown>) | undefined;
    if (!f || f.count <= 0) return null;
    const m = f.match;
    if (!m && (kind === 'reject' || kind === 'deny') && !(method === EMISSION.method && path === EMISSION.path)) return null;
    if (m?.method && m.method.toUpperCase() !== method.toUpperCase()) return null;
    if (m?.pathPrefix && !path.startsWith(m.pathPrefix)) return null;
    if (extra && !extra(f as unknown as NonNullable<SandboxFaults[K]>)) return null;
    f.count--;
    const copy = { ...f } as unknown as NonNullable<SandboxFaults[K]>;
    if (f.count <= 0) delete this.current[kind];
    return copy;
  }

  get sefazDown(): boolean {
    return this.current.sefazDown !== undefined && this.current.sefazDown !== false;
  }

  get sefazDownMode(): { originalAuthorized: boolean; effectivation: 'ok' | 'fail' } {
    const s = this.current.sefazDown;
    const o = typeof s === 'object' ? s : {};
    return { originalAuthorized: o.originalAuthorized ?? false, effectivation: o.effectivation ?? 'ok' };
  }

  get value(): Readonly<SandboxFaults> {
    return this.current;
  }
}
