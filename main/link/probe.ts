// Probes for the link monitor: cheap ways to ask "is Focus reachable again?" that cost no API
// credit. An HTTP answer is asked for, not just a TCP connection: a path that accepts connections
// and then drops everything would fool a bare connect.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LinkProbe } from './monitor.ts';

export interface HttpProbeOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Extra CA (PEM), e.g. a self-signed sandbox. */
  ca?: string;
}

/**
 * An unauthenticated GET of the API root: any HTTP answer (401, 404…) proves the whole path works,
 * TLS included, and it spends no credit (Focus counts requests per token, and this one carries
 * none). Unlike a bare TCP connect it also notices a link that accepts connections but drops data.
 */
export function httpProbe(opts: HttpProbeOptions): LinkProbe {
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const url = new URL('/', opts.baseUrl);
  return () =>
    new Promise<boolean>((resolve) => {
      let settled = false;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(ok);
      };
      const common = { method: 'GET', agent: false as const, headers: { accept: 'application/json', connection: 'close' } };
      const req =
        url.protocol === 'https:'
          ? httpsRequest(url, { ...common, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
              res.resume();
              done(true);
            })
          : httpRequest(url, common, (res) => {
              res.resume();
              done(true);
            });
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref?.();
      req.once('error', () => done(false));
      req.end();
    });
}
