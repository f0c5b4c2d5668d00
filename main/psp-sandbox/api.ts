// The API Pix routes the simulator answers (Bacen `bacen/pix-api` v2): OAuth2 client credentials,
// immediate charges (PUT/GET/PATCH /cob/{txid}), received Pix (GET /pix), refunds
// (PUT/GET /pix/{e2eid}/devolucao/{id}) and the webhook registration (PUT /webhook/{chave}).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cob, PixRecord, PspState, Refund } from './state.ts';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Common name of the verified client certificate. */
  certClientId: string;
}

export interface ApiAnswer {
  status: number;
  json?: unknown;
  problem?: boolean;
}

export interface Merchant {
  name: string;
  city: string;
}

const TXID = /^[a-zA-Z0-9]{26,35}$/;
const E2E = /^[a-zA-Z0-9]{32}$/;
const REFUND_ID = /^[a-zA-Z0-9]{1,35}$/;
const AMOUNT = /^\d{1,10}\.\d{2}$/;
const TOKEN_TTL_S = 3600;

function problem(status: number, kind: string, title: string, detail: string, violacoes?: { razao: string; propriedade: string }[]): ApiAnswer {
  return {
    status,
    problem: true,
    json: { type: `https://pix.bcb.gov.br/api/v2/error/${kind}`, title, status, detail, ...(violacoes ? { violacoes } : {}) },
  };
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function header(req: ApiRequest, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cobView(cob: Cob, full: boolean): unknown {
  return {
    calendario: { criacao: new Date(cob.criacao).toISOString(), expiracao: cob.expiracao },
    txid: cob.txid,
    revisao: cob.revisao,
    loc: { id: 1, location: cob.location, tipoCob: 'cob', criacao: new Date(cob.criacao).toISOString() },
    location: cob.location,
    status: cob.status,
    valor: { original: cob.valor },
    chave: cob.chave,
    ...(cob.solicitacaoPagador !== undefined ? { solicitacaoPagador: cob.solicitacaoPagador } : {}),
    pixCopiaECola: cob.pixCopiaECola,
    ...(full && cob.pix.length > 0 ? { pix: cob.pix.map((p) => pixView(p)) } : {}),
  };
}

function pixView(p: PixRecord): unknown {
  return {
    endToEndId: p.endToEndId,
    ...(p.txid ? { txid: p.txid } : {}),
    valor: p.valor,
    horario: p.horario,
    ...(p.infoPagador ? { infoPagador: p.infoPagador } : {}),
    ...(p.devolucoes.length > 0 ? { devolucoes: p.devolucoes } : {}),
  };
}

function token(state: PspState, req: ApiRequest): ApiAnswer {
  state.counters.token++;
  const form = new URLSearchParams(req.body);
  let id = form.get('client_id') ?? '';
  let secret = form.get('client_secret') ?? '';
  const auth = header(req, 'authorization');
  if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
  }
  if (form.get('grant_type') !== 'client_credentials') return { status: 400, json: { error: 'unsupported_grant_type' } };
  const client = state.clients.get(id);
  if (!client || !sameText(client.clientSecret, secret)) return { status: 401, json: { error: 'invalid_client' } };
  // The credentials are bound to the client certificate the PSP issued for them.
  if (req.certClientId !== id) return { status: 401, json: { error: 'invalid_client', error_description: 'certificado não corresponde ao client_id' } };
  return {
    status: 200,
    json: {
      access_token: state.issueToken(id, TOKEN_TTL_S),
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_S,
      scope: 'cob.write cob.read pix.write pix.read webhook.write',
    },
  };
}

export function handleApi(state: PspState, merchant: Merchant, req: ApiRequest): ApiAnswer {
  if (req.method === 'POST' && req.path === '/oauth/token') return token(state, req);

  const auth = header(req, 'authorization');
  const owner = auth.startsWith('Bearer ') ? state.tokenOwner(auth.slice(7)) : null;
  if (!owner || owner !== req.certClientId) return problem(403, 'AcessoNegado', 'Acesso Negado', 'Token de acesso ausente, inválido ou expirado.');

  const parts = req.path.split('/').filter(Boolean);
  if (parts[0] === 'cob' && parts.length === 2) {
    const txid = decodeURIComponent(parts[1]!);
    if (!TXID.test(txid))
      return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', 'O txid deve ter de 26 a 35 letras e dígitos.', [
        { razao: 'txid inválido', propriedade: 'txid' },
      ]);
    const cob = state.cobs.get(txid);
    const mine = cob && cob.owner === owner ? cob : undefined;
    if (req.method === 'PUT') {
      state.counters.put++;
      if (cob)
        return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', 'O txid informado já foi utilizado.', [
          { razao: 'txid duplicado', propriedade: 'txid' },
        ]);
      const body = parseJson(req.body);
      const cal = body?.calendario as Record<string, unknown> | undefined;
      const valor = body?.valor as Record<string, unknown> | undefined;
      const expiracao = cal?.expiracao ?? 86_400;
      const v: { razao: string; propriedade: string }[] = [];
      if (!body) return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', 'Corpo da requisição não é JSON.');
      if (typeof expiracao !== 'number' || !Number.isInteger(expiracao) || expiracao <= 0)
        v.push({ razao: 'expiração inválida', propriedade: 'cob.calendario.expiracao' });
      if (typeof valor?.original !== 'string' || !AMOUNT.test(valor.original) || Number(valor.original) <= 0)
        v.push({ razao: 'valor inválido', propriedade: 'cob.valor.original' });
      if (typeof body.chave !== 'string' || body.chave.length === 0 || body.chave.length > 77) v.push({ razao: 'chave inválida', propriedade: 'cob.chave' });
      if (v.length > 0) return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', 'A requisição que busca criar uma cobrança não respeita o schema.', v);
      const created = state.createCob(
        owner,
        txid,
        {
          valor: valor!.original as string,
          chave: body.chave as string,
          expiracao: expiracao as number,
          ...(typeof body.solicitacaoPagador === 'string' ? { solicitacaoPagador: body.solicitacaoPagador } : {}),
        },
        merchant,
      );
      return { status: 201, json: cobView(created, false) };
    }
    if (!mine) return problem(404, 'NaoEncontrado', 'Não Encontrado', 'Entidade não encontrada.');
    if (req.method === 'GET') {
      state.counters.get++;
      return { status: 200, json: cobView(mine, true) };
    }
    if (req.method === 'PATCH') {
      state.counters.patch++;
      const body = parseJson(req.body);
      if (body?.status !== 'REMOVIDA_PELO_USUARIO_RECEBEDOR')
        return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', 'Apenas a remoção da cobrança é aceita nesta revisão.');
      if (mine.status === 'CONCLUIDA') return problem(400, 'CobOperacaoInvalida', 'Cobrança inválida.', 'A cobrança já foi paga e não pode ser removida.');
      if (mine.status === 'ATIVA') {
        mine.status = 'REMOVIDA_PELO_USUARIO_RECEBEDOR';
        mine.revisao++;
      }
      return { status: 200, json: cobView(mine, false) };
    }
    return problem(405, 'MetodoNaoPermitido', 'Método não permitido', req.method);
  }

  if (parts[0] === 'pix' && parts.length === 1 && req.method === 'GET') {
    state.counters.list++;
    const inicio = Date.parse(req.query.get('inicio') ?? '');
    const fim = Date.parse(req.query.get('fim') ?? '');
    if (!Number.isFinite(inicio) || !Number.isFinite(fim) || fim < inicio)
      return problem(400, 'RequisicaoInvalida', 'Requisição inválida', 'inicio e fim são obrigatórios (RFC 3339).');
    const txid = req.query.get('txid');
    const page = Number(req.query.get('paginacao.paginaAtual') ?? 0);
    const size = Math.min(1000, Number(req.query.get('paginacao.itensPorPagina') ?? 100));
    const mine = new Set([...state.cobs.values()].filter((c) => c.owner === owner).map((c) => c.txid));
    const all = state.pix.filter((p) => {
      const t = Date.parse(p.horario);
      return t >= inicio && t <= fim && (p.txid === null || mine.has(p.txid) || !state.cobs.has(p.txid)) && (txid === null || p.txid === txid);
    });
    return {
      status: 200,
      json: {
        parametros: {
          inicio: new Date(inicio).toISOString(),
          fim: new Date(fim).toISOString(),
          paginacao: {
            paginaAtual: page,
            itensPorPagina: size,
            quantidadeDePaginas: Math.max(1, Math.ceil(all.length / size)),
            quantidadeTotalDeItens: all.length,
          },
        },
        pix: all.slice(page * size, page * size + size).map((p) => pixView(p)),
      },
    };
  }

  if (parts[0] === 'pix' && parts.length === 4 && parts[2] === 'devolucao') {
    const e2e = decodeURIComponent(parts[1]!);
    const id = decodeURIComponent(parts[3]!);
    if (!E2E.test(e2e) || !REFUND_ID.test(id)) return problem(400, 'DevolucaoOperacaoInvalida', 'Devolução inválida', 'e2eid ou id da devolução inválido.');
    const pix = state.pix.find((p) => p.endToEndId === e2e && (p.txid === null || state.cobs.get(p.txid)?.owner === owner));
    if (!pix) return problem(404, 'NaoEncontrado', 'Não Encontrado', 'Pix não encontrado.');
    const existing = pix.devolucoes.find((d) => d.id === id);
    if (req.method === 'GET') {
      state.counters.get++;
      return existing ? { status: 200, json: existing } : problem(404, 'NaoEncontrado', 'Não Encontrado', 'Devolução não encontrada.');
    }
    if (req.method === 'PUT') {
      state.counters.refund++;
      // Same id again: the refund already exists, answer it (the client may be retrying).
      if (existing) return { status: 201, json: existing };
      const body = parseJson(req.body);
      const valor = body?.valor;
      if (typeof valor !== 'string' || !AMOUNT.test(valor)) return problem(400, 'DevolucaoOperacaoInvalida', 'Devolução inválida', 'valor inválido.');
      const refunded = pix.devolucoes.reduce((s, d) => s + Math.round(Number(d.valor) * 100), 0);
      if (refunded + Math.round(Number(valor) * 100) > Math.round(Number(pix.valor) * 100)) {
        return problem(400, 'DevolucaoOperacaoInvalida', 'Devolução inválida', 'A soma das devoluções ultrapassa o valor do Pix.');
      }
      const now = new Date(state.now()).toISOString();
      const refund: Refund = {
        id,
        rtrId: `D${randomBytes(12).toString('hex')}`.slice(0, 32).padEnd(32, '0'),
        valor,
        horario: { solicitacao: now, liquidacao: now },
        status: 'DEVOLVIDO',
      };
      pix.devolucoes.push(refund);
      return { status: 201, json: refund };
    }
  }

  if (parts[0] === 'webhook' && parts.length === 2 && req.method === 'PUT') {
    const body = parseJson(req.body);
    if (typeof body?.webhookUrl !== 'string') return problem(400, 'WebhookOperacaoInvalida', 'Webhook inválido', 'webhookUrl obrigatório.');
    state.webhooks.set(owner, body.webhookUrl);
    return { status: 200, json: { webhookUrl: body.webhookUrl, chave: decodeURIComponent(parts[1]!), criacao: new Date(state.now()).toISOString() } };
  }

  return problem(404, 'NaoEncontrado', 'Não Encontrado', `${req.method} ${req.path}`);
}
