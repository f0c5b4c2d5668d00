// Which handler answers a request. Files (caminho_*) are served without a token; everything under
// /v2 needs one, and the token picks the environment.
import { extractToken } from './auth.ts';
import { handleCancel } from './cancel.ts';
import type { SandboxContext } from './context.ts';
import { serveFile } from './documents.ts';
import { handleEmail } from './email.ts';
import { handleEconfDelete, handleEconfGet, handleEconfPost } from './econf.ts';
import { handleEmit, handleQuery } from './emission.ts';
import type { Webhooks } from './hooks.ts';
import { apiError, type ApiRequest, type ApiResponse } from './http.ts';
import { handleInutilizar, handleListInutilizacoes } from './inutilizacao.ts';
import { parseFilePath } from './paths.ts';
import { handleBackups, isBackupPath, serveBackupZip } from './backups.ts';

export function badTokenResponse(ctx: SandboxContext): ApiResponse {
  if (ctx.badTokenStatus === 403) return apiError(403, 'permissao_negada', 'Token de acesso inválido ou sem permissão para esta operação.');
  // §8 item 2: Rails' default answer, plain text with a Basic challenge (or an empty body on request).
  const headers = { 'www-authenticate': 'Basic realm="Application"' };
  return ctx.faults.value.badTokenBody === 'empty'
    ? { status: 401, headers }
    : { status: 401, headers, text: 'HTTP Basic: Access denied.\n', contentType: 'text/plain; charset=utf-8' };
}

const wrongMethod = (): ApiResponse => apiError(404, 'nao_encontrado', 'Utilize o método POST.');

export async function route(ctx: SandboxContext, webhooks: Webhooks, req: ApiRequest): Promise<ApiResponse> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const file = parseFilePath(req.path);
    if (file) return serveFile(ctx, file);
    if (isBackupPath(req.path)) return serveBackupZip(ctx, req.path);
  }
  if (!req.path.startsWith('/v2/')) return apiError(404, 'nao_encontrado', 'Recurso não encontrado');

  const env = ctx.envOf(extractToken(req.headers, req.query));
  if (!env) return badTokenResponse(ctx);
  req.env = env;

  let seg: string[];
  try {
    seg = req.path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return apiError(404, 'nao_encontrado', 'Recurso não encontrado');
  }
  const m = req.method;
  if (seg[1] === 'nfce') {
    if (seg.length === 2) return m === 'POST' ? handleEmit(ctx, req) : wrongMethod();
    const third = seg[2] as string;
    if (seg.length === 3 && third === 'inutilizacao' && m === 'POST') return handleInutilizar(ctx, req);
    if (seg.length === 3 && third === 'inutilizacoes' && m === 'GET') return handleListInutilizacoes(ctx, req);
    if (seg.length === 3 && m === 'GET') return handleQuery(ctx, req, third);
    if (seg.length === 3 && m === 'DELETE') return handleCancel(ctx, req, third);
    if (seg.length === 4 && seg[3] === 'email' && m === 'POST') return handleEmail(ctx, req, third);
    if (seg.length === 4 && seg[3] === 'econf' && m === 'POST') return handleEconfPost(ctx, req, third);
    if (seg.length === 5 && seg[3] === 'econf' && m === 'GET') return handleEconfGet(ctx, req, third, seg[4] as string);
    if (seg.length === 5 && seg[3] === 'econf' && m === 'DELETE') return handleEconfDelete(ctx, req, third, seg[4] as string);
    return wrongMethod();
  }
  if (seg[1] === 'backups' && seg.length === 3 && m === 'GET') return handleBackups(ctx, req, seg[2] as string);
  if (seg[1] === 'hooks' && seg.length <= 3) return webhooks.handle(req, seg[2] ?? null);
  return apiError(404, 'nao_encontrado', 'Recurso não encontrado');
}
