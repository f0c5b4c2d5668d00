// A PSP simulator speaking the Bacen API Pix v2 over mutual TLS, on 127.0.0.1. Demo mode and every
// PIX test use it as the bank. Written independently of main/pix (the client it simulates): it
// shares only the pure BR Code helpers in shared/pix/.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pixAmount } from '../../shared/pix/brcode.ts';
import type { Merchant } from './api.ts';
import { createTestPki, type PemPair, type TestPki } from './pki.ts';
import { createPspServers } from './server.ts';
import { PspState, type Faults, type PixRecord } from './state.ts';

export type { Faults, PixRecord } from './state.ts';

export interface PspSandboxOptions {
  port?: number;
  controlPort?: number;
  merchant?: Merchant;
  /** The PSP's own CNPJ (goes on the NFC-e as cnpj_credenciadora). */
  cnpj?: string;
  clock?: () => number;
  /** Reuse a PKI (e.g. to restart the simulator with the same CA). */
  pki?: TestPki;
}

export interface PspCredentials {
  clientId: string;
  clientSecret: string;
  /** Client certificate and key (PEM) the PSP issued to this shop. */
  cert: string;
  key: string;
}

export interface PspSandbox {
  /** https://127.0.0.1:PORT — the API base URL. */
  url: string;
  /** http://127.0.0.1:PORT — the controls (header x-psp-control: controlSecret). */
  controlUrl: string;
  controlSecret: string;
  /** The CA that signed the server certificate (the client trusts it). */
  ca: string;
  cnpj: string;
  pki: TestPki;
  state: PspState;
  /** A fresh client registration (id, secret, certificate). */
  register(opts?: { validity?: { notBefore: number; notAfter: number } }): PspCredentials;
  pay(txid: string, opts?: { valor?: string; force?: boolean }): { ok: true; pix: PixRecord } | { ok: false; reason: string };
  payStatic(amountCents: number, txid: string | null): PixRecord;
  setFaults(f: Partial<Faults>): void;
  close(): Promise<void>;
}

export const PSP_SANDBOX_CNPJ = '18236120000158';

export async function startPspSandbox(opts: PspSandboxOptions = {}): Promise<PspSandbox> {
  const pki = opts.pki ?? createTestPki();
  const merchant = opts.merchant ?? { name: 'Loja', city: 'Curitiba' };
  const controlSecret = randomBytes(18).toString('base64url');
  const state = new PspState('127.0.0.1', opts.clock);

  const notifyWebhook = (pix: PixRecord): void => {
    const owner = pix.txid ? state.cobs.get(pix.txid)?.owner : undefined;
    const url = owner ? state.webhooks.get(owner) : undefined;
    if (!url) return;
    const send = () =>
      fetch(`${url.replace(/\/$/, '')}/pix`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pix: [pix] }) }).catch(
        () => {},
      );
    void send();
    if (state.faults.duplicateNotification) void send();
  };
  const pay = (txid: string, o: { valor?: string; force?: boolean } = {}) => {
    const r = state.pay(txid, o);
    if (r.ok) notifyWebhook(r.pix);
    return r;
  };

  const servers = createPspServers(
    state,
    merchant,
    { server: pki.server, ca: pki.ca.cert },
    {
      state,
      secret: controlSecret,
      pay,
      payStatic: (valor, txid) => state.payStatic(valor, txid),
    },
  );
  const listen = (server: typeof servers.api, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const apiPort = await listen(servers.api, opts.port ?? 0);
  const controlPort = await listen(servers.control, opts.controlPort ?? 0);
  // The payload location carries the API host, like a real PSP's "pix.example.com/qr/v2/…".
  state.host = `127.0.0.1:${apiPort}`;

  let closing: Promise<void> | null = null;
  return {
    url: `https://127.0.0.1:${apiPort}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    controlSecret,
    ca: pki.ca.cert,
    cnpj: opts.cnpj ?? PSP_SANDBOX_CNPJ,
    pki,
    state,
    register(o = {}) {
      const clientId = `balcao${randomBytes(6).toString('hex')}`;
      const clientSecret = randomBytes(24).toString('base64url');
      state.addClient({ clientId, clientSecret });
      const pair: PemPair = pki.issueClient(clientId, o.validity);
      return { clientId, clientSecret, cert: pair.cert, key: pair.key };
    },
    pay,
    payStatic: (cents, txid) => state.payStatic(pixAmount(cents), txid),
    setFaults(f) {
      state.faults = { ...state.faults, ...f };
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        servers.destroyAll();
        let open = 2;
        const done = () => --open === 0 && resolve();
        servers.api.close(done);
        servers.control.close(done);
      });
      return closing;
    },
  };
}
