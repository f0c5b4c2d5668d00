// §7.2 backups: GET /v2/backups/CNPJ.json lists one entry per month with notes, each pointing to a
// ZIP of that month's XMLs (and of its DANFEs). The ZIP is built on request from the stored notes,
// so it always matches them. Focus generates it on day 1 and refreshes it weekly; the sandbox has
// no such delay (tests that need a stale backup add notes after downloading it).
import { zipSync } from 'fflate';
import type { SandboxContext } from './context.ts';
import { serveFile } from './documents.ts';
import { apiError, type ApiRequest, type ApiResponse } from './http.ts';
import { yearMonthOf } from './paths.ts';
import type { Environment } from './types.ts';

const root = (env: Environment) => (env === 'homologacao' ? '/arquivos_development' : '/arquivos');
const BACKUP_RE = /^\/(arquivos|arquivos_development)\/([0-9A-Z]{12}\d{2})\/(\d{6})\/backup-(xmls|danfes)\.zip$/;

function monthsOf(ctx: SandboxContext, env: Environment, cnpj: string): string[] {
  const months = new Set<string>();
  for (const n of ctx.store.allNotes()) {
    if (n.env === env && n.cnpj === cnpj && n.chave && n.dataEmissao && (n.status === 'autorizado' || n.status === 'cancelado'))
      months.add(yearMonthOf(n.dataEmissao));
  }
  return [...months].sort();
}

export function handleBackups(ctx: SandboxContext, req: ApiRequest, file: string): ApiResponse {
  const m = /^([0-9A-Z]{12}\d{2})\.json$/.exec(file);
  if (!m) return apiError(404, 'nao_encontrado', 'Recurso não encontrado');
  const cnpj = m[1] as string;
  if (cnpj !== ctx.emitter.cnpj) return apiError(403, 'permissao_negada', 'CNPJ do emitente não autorizado.');
  const env = req.env as Environment;
  return {
    status: 200,
    json: {
      backups: monthsOf(ctx, env, cnpj).map((mes) => ({
        mes,
        danfes: `${root(env)}/${cnpj}/${mes}/backup-danfes.zip`,
        xmls: `${root(env)}/${cnpj}/${mes}/backup-xmls.zip`,
      })),
    },
  };
}

export function isBackupPath(path: string): boolean {
  return BACKUP_RE.test(path);
}

/** The month's XMLs (notes and cancellations) as one ZIP, built from the stored notes. */
export async function serveBackupZip(ctx: SandboxContext, path: string): Promise<ApiResponse> {
  const m = BACKUP_RE.exec(path)!;
  const env: Environment = m[1] === 'arquivos' ? 'producao' : 'homologacao';
  const cnpj = m[2] as string;
  const mes = m[3] as string;
  const files: Record<string, Uint8Array> = {};
  const enc = new TextEncoder();
  for (const n of ctx.store.allNotes()) {
    if (n.env !== env || n.cnpj !== cnpj || !n.chave || !n.dataEmissao || yearMonthOf(n.dataEmissao) !== mes) continue;
    if (n.status !== 'autorizado' && n.status !== 'cancelado') continue;
    for (const kind of n.status === 'cancelado' ? (['nfe', 'can'] as const) : (['nfe'] as const)) {
      const r = await serveFile(ctx, { kind, env, cnpj, yearMonth: mes, chave: n.chave });
      if (r.status === 200 && r.text !== undefined) files[`${n.chave}-${kind}.xml`] = enc.encode(r.text);
    }
  }
  return { status: 200, bytes: zipSync(files, { level: 1 }), contentType: 'application/zip' };
}
