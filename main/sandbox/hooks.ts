// Webhooks (§7.1, §8 item 32): /v2/hooks CRUD per token, and delivery of nfce_contingencia and
// inutilizacao events with retries (Focus: 1 min, 30 min, 1 h, 3 h, 24 h; accelerated here).
import { normalizeDocument } from '../../shared/fiscal/cpf-cnpj.ts';
import type { SandboxContext } from './context.ts';
import { apiError, asText, compact, isObject, json, parseJsonBody, type ApiRequest, type ApiResponse } from './http.ts';
import type { Environment, SandboxHook, WebhookDelivery } from './types.ts';

export const HOOK_EVENTS: ReadonlySet<string> = new Set([
  'nfe',
  'nfse',
  'nfsen',
  'nfce_contingencia',
  'nfe_recebida',
  'nfe_recebida_falha_consulta',
  'nfse_recebida',
  'cte_recebida',
  'inutilizacao',
  'cte',
  'mdfe',
  'nfcom',
]);
const MAX_HOOKS_PER_EVENT = 5;

function hookView(h: SandboxHook, deliveries: WebhookDelivery[], detailed: boolean): Record<string, unknown> {
  const base = compact({ id: h.id, url: h.url, authorization: h.authorization, authorization_header: h.authorizationHeader, event: h.event, cnpj: h.cnpj });
  if (!detailed) return base;
  const mine = deliveries.filter((d) => d.hookId === h.id);
  return {
    ...base,
    request_count: mine.length,
    success_count: mine.filter((d) => d.status !== null && d.status >= 200 && d.status < 300).length,
    error_count: mine.filter((d) => d.status === null || d.status < 200 || d.status >= 300).length,
  };
}

export class Webhooks {
  private readonly ctx: SandboxContext;
  readonly deliveries: WebhookDelivery[] = [];

  constructor(ctx: SandboxContext) {
    this.ctx = ctx;
    ctx.onEvent = (env, event, cnpj, body) => this.fire(env, event, cnpj, body);
  }

  handle(req: ApiRequest, id: string | null): ApiResponse {
    const env = req.env as Environment;
    const mine = this.ctx.store.hooks().filter((h) => h.env === env);
    if (req.method === 'GET' && id === null)
      return json(
        200,
        mine.map((h) => hookView(h, this.deliveries, false)),
      );
    if (req.method === 'POST' && id === null) return this.create(req, env, mine);
    const hook = mine.find((h) => h.id === id);
    if (!hook) return apiError(404, 'nao_encontrado', 'Gatilho não encontrado');
    if (req.method === 'GET') return json(200, hookView(hook, this.deliveries, true));
    if (req.method === 'DELETE') {
      this.ctx.store.deleteHook(hook.id);
      return json(200, { ...hookView(hook, this.deliveries, false), deleted: true });
    }
    return apiError(404, 'nao_encontrado', 'Utilize o método POST.');
  }

  private create(req: ApiRequest, env: Environment, mine: SandboxHook[]): ApiResponse {
    const parsed = parseJsonBody(req);
    if (!parsed.ok) return parsed.response;
    const b = isObject(parsed.value) ? parsed.value : {};
    const event = typeof b.event === 'string' ? b.event : '';
    if (!HOOK_EVENTS.has(event)) return apiError(400, 'requisicao_invalida', `Evento inválido: ${JSON.stringify(b.event ?? null)}`);
    const url = typeof b.url === 'string' ? b.url : '';
    if (!['http:', 'https:'].includes(URL.parse(url)?.protocol ?? '')) return apiError(400, 'requisicao_invalida', 'URL inválida');
    const cnpj = b.cnpj === undefined || b.cnpj === null ? null : normalizeDocument(asText(b.cnpj));
    if (cnpj !== null && cnpj !== this.ctx.emitter.cnpj) return apiError(403, 'permissao_negada', 'CNPJ do emitente não autorizado.');
    if (mine.filter((h) => h.event === event && (h.cnpj ?? this.ctx.emitter.cnpj) === (cnpj ?? this.ctx.emitter.cnpj)).length >= MAX_HOOKS_PER_EVENT) {
      return apiError(400, 'requisicao_invalida', `Já existem ${MAX_HOOKS_PER_EVENT} gatilhos para este evento e empresa`);
    }
    const hook: SandboxHook = {
      id: `Vj5r${String(this.ctx.store.nextSeq('hook')).padStart(8, '0')}`,
      env,
      cnpj,
      event,
      url,
      authorization: typeof b.authorization === 'string' ? b.authorization : null,
      authorizationHeader: typeof b.authorization_header === 'string' ? b.authorization_header : null,
      createdAt: this.ctx.now(),
    };
    this.ctx.store.putHook(hook);
    return json(200, hookView(hook, this.deliveries, false));
  }

  private fire(env: Environment, event: string, cnpj: string, body: unknown): void {
    for (const h of this.ctx.store.hooks()) {
      if (h.env === env && h.event === event && (h.cnpj === null || h.cnpj === cnpj)) void this.deliver(h, body, 1);
    }
  }

  private async deliver(h: SandboxHook, body: unknown, attempt: number): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (h.authorization) headers[(h.authorizationHeader ?? 'Authorization').toLowerCase()] = h.authorization;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(h.url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.deliveries.push({ hookId: h.id, event: h.event, url: h.url, attempt, status, error, at: this.ctx.now(), body });
    const ok = status !== null && status >= 200 && status < 300;
    const delay = this.ctx.opts.webhookRetryDelaysMs[attempt - 1];
    if (!ok && delay !== undefined) this.ctx.later(delay, () => void this.deliver(h, body, attempt + 1));
  }
}
