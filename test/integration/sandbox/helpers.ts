// Plain-fetch helpers for the sandbox tests (deliberately not the Balcão Focus client).
import { createHash } from 'node:crypto';
import { toFocusDateTime } from '../../../shared/datetime.ts';
import { HOMOLOG_DEST_NAME, HOMOLOG_ITEM_DESCRIPTION } from '../../../shared/fiscal/homologation.ts';
import type { Sandbox } from '../../../main/sandbox/index.ts';

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CallOpts {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  env?: 'homologacao' | 'producao';
  token?: string | null;
  auth?: 'basic' | 'query';
  signal?: AbortSignal;
}

export async function call(sb: Sandbox, method: string, path: string, o: CallOpts = {}): Promise<Res> {
  const token = o.token === undefined ? sb.tokens[o.env ?? 'homologacao'] : o.token;
  const headers: Record<string, string> = { accept: 'application/json' };
  let url = sb.url + path;
  if (token !== null) {
    if (o.auth === 'query') url += `${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    else headers.authorization = `Basic ${Buffer.from(`${token}:`).toString('base64')}`;
  }
  let body: string | undefined;
  if (o.raw !== undefined) body = o.raw;
  else if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const admin = async (sb: Sandbox, method: string, name: string, body?: unknown) => {
  const res = await fetch(`${sb.url}/__sandbox/${name}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
};

export function nowText(sb: Sandbox, offsetMs = 0): string {
  return toFocusDateTime(sb.controls.now() + offsetMs, -180);
}

export const ITEM_HOMOLOG = HOMOLOG_ITEM_DESCRIPTION;
export const DEST_HOMOLOG = HOMOLOG_DEST_NAME;

/** A valid note (R$ 79,00, cash R$ 100,00, troco R$ 21,00) for the sandbox's emitter. */
export function note(sb: Sandbox, over: Record<string, unknown> = {}, env: 'homologacao' | 'producao' = 'homologacao'): Record<string, unknown> {
  return {
    cnpj_emitente: sb.cnpj,
    data_emissao: nowText(sb),
    natureza_operacao: 'VENDA AO CONSUMIDOR',
    presenca_comprador: '1',
    modalidade_frete: '9',
    local_destino: '1',
    items: [
      {
        numero_item: '1',
        codigo_produto: '251887',
        descricao: env === 'homologacao' ? ITEM_HOMOLOG : 'CAMISA POLO',
        codigo_ncm: '62044200',
        cfop: '5102',
        unidade_comercial: 'UN',
        quantidade_comercial: '2.0000',
        valor_unitario_comercial: '39.5000000000',
        valor_bruto: '79.00',
        icms_origem: '0',
        icms_situacao_tributaria: '102',
        valor_total_tributos: '24.29',
      },
    ],
    formas_pagamento: [{ forma_pagamento: '01', valor_pagamento: '100.00' }],
    valor_troco: '21.00',
    ...over,
  };
}

export const emit = (sb: Sandbox, ref: string, body: unknown, query = '', env: 'homologacao' | 'producao' = 'homologacao') =>
  call(sb, 'POST', `/v2/nfce?ref=${ref}${query}`, { body, env });

export const sha1Upper = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex').toUpperCase();

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
