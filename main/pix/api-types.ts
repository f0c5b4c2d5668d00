// The parts of the API Pix answers the client relies on, validated with zod: a PSP answering
// garbage is an error with a code, never a crash or a wrong "paid".
import { z } from 'zod';

const amount = z.string().regex(/^\d{1,10}\.\d{2}$/);

export const PixReceived = z.object({
  endToEndId: z.string().regex(/^[a-zA-Z0-9]{32}$/),
  txid: z.string().optional(),
  valor: amount,
  horario: z.string(),
});
export type PixReceived = z.infer<typeof PixReceived>;

export const CobAnswer = z.object({
  txid: z.string(),
  status: z.enum(['ATIVA', 'CONCLUIDA', 'REMOVIDA_PELO_USUARIO_RECEBEDOR', 'REMOVIDA_PELO_PSP']),
  calendario: z.object({ criacao: z.string(), expiracao: z.number().int() }),
  valor: z.object({ original: amount }),
  pixCopiaECola: z.string().max(512).optional(),
  pix: z.array(PixReceived).optional(),
});
export type CobAnswer = z.infer<typeof CobAnswer>;

export const PixList = z.object({
  parametros: z.object({ paginacao: z.object({ paginaAtual: z.number().int(), quantidadeDePaginas: z.number().int() }) }),
  pix: z.array(PixReceived).default([]),
});

export const RefundAnswer = z.object({
  id: z.string(),
  rtrId: z.string(),
  valor: amount,
  status: z.enum(['EM_PROCESSAMENTO', 'DEVOLVIDO', 'NAO_REALIZADO']),
});
export type RefundAnswer = z.infer<typeof RefundAnswer>;

export const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive().default(3600) });

export const Problem = z
  .object({ type: z.string().optional(), title: z.string().optional(), status: z.number().optional(), detail: z.string().optional() })
  .passthrough();
