// The store's HTTP plumbing: JSON bodies with a size limit, the protocol version check, and every
// failure turned into the protocol's error body (a stable code, a Portuguese sentence).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ErrorBody, StoreErrorCode } from '../shared/store/protocol.ts';
import { PROTOCOL_HEADER, STORE_ERROR_STATUS, STORE_PROTOCOL_VERSION, StoreError } from '../shared/store/protocol.ts';
import { zodFields, zodSentence } from '../shared/zod-pt.ts';

export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new StoreError('invalid_request', 'Pedido grande demais para o servidor da loja.');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new StoreError('invalid_request', 'O pedido não é um JSON válido.');
  }
}

/** A newer or older lane is told so by code before anything else is parsed. */
export function checkProtocol(req: IncomingMessage, body: unknown): void {
  const header = req.headers[PROTOCOL_HEADER];
  if (typeof header === 'string' && header !== String(STORE_PROTOCOL_VERSION)) throw new StoreError('protocol_mismatch');
  if (typeof body === 'object' && body !== null && 'protocol' in body && body.protocol !== STORE_PROTOCOL_VERSION) throw new StoreError('protocol_mismatch');
}

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw new StoreError('invalid_request', zodSentence(r.error), { fields: zodFields(r.error) });
  return r.data;
}

/** An answer already serialized (pages of records straight from PostgreSQL). */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body instanceof RawJson ? body.text : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function toErrorBody(err: unknown): { status: number; body: ErrorBody; expected: boolean } {
  if (err instanceof z.ZodError) err = new StoreError('invalid_request', zodSentence(err), { fields: zodFields(err) });
  const e = err instanceof StoreError ? err : new StoreError('internal');
  const code: StoreErrorCode = e.code;
  const error: ErrorBody['error'] = { code, message: e.message };
  if (e.fields !== undefined) error.fields = e.fields;
  return { status: STORE_ERROR_STATUS[code], body: { protocol: STORE_PROTOCOL_VERSION, error }, expected: err instanceof StoreError };
}
