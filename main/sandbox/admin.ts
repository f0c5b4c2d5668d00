// Unauthenticated admin API under /__sandbox/ so tests running in other processes can read the
// sandbox's state and drive faults. It never counts against the rate limit and ignores faults.
import { z } from 'zod';
import type { SandboxContext } from './context.ts';
import type { Webhooks } from './hooks.ts';
import { json, type ApiResponse } from './http.ts';
import type { SandboxControls } from './types.ts';

export const ADMIN_PREFIX = '/__sandbox/';

const ClockBody = z.object({ offsetMs: z.number().finite() }).strict();

export interface AdminDeps {
  ctx: SandboxContext;
  webhooks: Webhooks;
  controls: SandboxControls;
  info: () => Record<string, unknown>;
}

const bad = (mensagem: string): ApiResponse => json(400, { codigo: 'requisicao_invalida', mensagem });

export async function handleAdmin(d: AdminDeps, method: string, path: string, raw: Buffer): Promise<ApiResponse> {
  const name = path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  let body: unknown = undefined;
  const text = raw.toString('utf8');
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return bad('JSON inválido');
    }
  }
  if (method === 'GET') {
    switch (name) {
      case 'info':
        return json(200, d.info());
      case 'notes':
        return json(200, structuredClone(d.ctx.store.allNotes()));
      case 'inutilizacoes':
        return json(200, d.ctx.store.inutilizacoes());
      case 'emails':
        return json(200, d.ctx.store.emails());
      case 'hooks':
        return json(200, d.ctx.store.hooks());
      case 'webhooks':
        return json(200, d.webhooks.deliveries);
      case 'faults':
        return json(200, d.controls.get());
    }
  }
  if (method === 'POST') {
    switch (name) {
      case 'faults': {
        try {
          d.controls.set(body ?? {});
        } catch (e) {
          return bad(e instanceof z.ZodError ? z.prettifyError(e) : String(e));
        }
        return json(200, d.controls.get());
      }
      case 'heal':
        return json(200, { healed: await d.controls.heal() });
      case 'clock': {
        const p = ClockBody.safeParse(body);
        if (!p.success) return bad(z.prettifyError(p.error));
        d.controls.setClockOffset(p.data.offsetMs);
        return json(200, { now: d.controls.now(), offsetMs: p.data.offsetMs });
      }
      case 'reset':
        d.controls.reset();
        return json(200, { ok: true });
    }
  }
  return json(404, { codigo: 'nao_encontrado', mensagem: `Rota de administração desconhecida: ${method} ${path}` });
}
