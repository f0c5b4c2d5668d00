// The journal's high-water mark: the furthest the journal has ever been (last sale id, last
// emission id, highest attempt, last número per série), kept in a small file beside the journal
// but outside it. A journal restored from an older copy, or one whose -wal was lost or cut short,
// is behind its mark: the app then stops selling until the sales beyond the journal's end are
// re-learned from Focus (see relearn.ts).
//
// Cost: one pwrite of a fixed-size record per commit, no fsync. The mark only has to survive the
// process (SIGKILL keeps the page cache); after an OS crash a mark that lags behind is harmless
// (it just detects less), and a mark is never written ahead of a commit (afterCommit).
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, fsyncSync } from 'node:fs';

/** One journal generation: the random tag its refs carry, and the first sale id it could number. */
export interface Generation {
  tag: string;
  fromSaleId: number;
  /**
   * The lowest and highest sale id this generation put in a ref (a new sale, or a later attempt of an
   * older one); null while it numbered none; absent in marks written before ranges were kept. A
   * generation's real start is not fromSaleId: the sales a re-learning brings back come first.
   */
  firstSaleId?: number | null;
  lastSaleId?: number | null;
}

export interface MarkState {
  v: 1;
  /** Random id of the journal file's lineage (meta 'journal_id'). */
  journalId: string;
  lastSaleId: number;
  lastEmissionId: number;
  maxAttempt: number;
  /** Highest número authorized per série. */
  numeros: Record<string, number>;
  /** Newest last; the refs of sales beyond a rolled-back journal's end are rebuilt from these. */
  generations: Generation[];
}

const RECORD_BYTES = 4096;
const MAX_GENERATIONS = 40;

export function emptyMark(journalId: string): MarkState {
  return { v: 1, journalId, lastSaleId: 0, lastEmissionId: 0, maxAttempt: 0, numeros: {}, generations: [] };
}

export function readMark(path: string): MarkState | null {
  if (!existsSync(path)) return null;
  try {
    const text = readFileSync(path, 'utf8').replace(/[\s\0]+$/, '');
    const m = JSON.parse(text) as MarkState;
    if (m.v !== 1 || typeof m.lastSaleId !== 'number') return null;
    return m;
  } catch {
    // A torn or foreign mark detects nothing; the journal is then trusted as it is.
    return null;
  }
}

/** What the journal holds now, to compare with a mark. */
export interface JournalExtent {
  lastSaleId: number;
  lastEmissionId: number;
  numeros: Record<string, number>;
}

/** The reasons a journal is behind its mark (empty when it is not). */
export function behindBy(mark: MarkState, j: JournalExtent): string[] {
  const out: string[] = [];
  if (j.lastSaleId < mark.lastSaleId) out.push(`última venda no arquivo ${j.lastSaleId}, já houve a venda ${mark.lastSaleId}`);
  if (j.lastEmissionId < mark.lastEmissionId) out.push(`última emissão no arquivo ${j.lastEmissionId}, já houve a ${mark.lastEmissionId}`);
  for (const [serie, n] of Object.entries(mark.numeros)) {
    const have = j.numeros[serie] ?? 0;
    if (have < n) out.push(`série ${serie}: última nota no arquivo nº ${have}, já foi autorizada a nº ${n}`);
  }
  return out;
}

export class HighWaterMark {
  readonly path: string;
  #state: MarkState;
  #fd: number | null = null;
  readonly #buf = Buffer.alloc(RECORD_BYTES);

  constructor(path: string, state: MarkState) {
    this.path = path;
    this.#state = state;
  }

  get state(): Readonly<MarkState> {
    return this.#state;
  }

  /** Writes the whole record atomically (rename) and keeps a handle for the per-commit updates. */
  reset(state: MarkState): void {
    this.#state = { ...state, generations: state.generations.slice(-MAX_GENERATIONS) };
    this.close();
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, this.#encode(), { mode: 0o600 });
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }

  /** Raises the mark after a commit; writes only when something went up. */
  bump(u: { saleId?: number; emissionId?: number; attempt?: number; serie?: string | null; numero?: string | null; ownSaleId?: number }): void {
    const s = this.#state;
    let changed = false;
    // ownSaleId: a sale id this open's generation (the newest) just put in a ref.
    const g = u.ownSaleId === undefined ? undefined : s.generations[s.generations.length - 1];
    if (g && u.ownSaleId !== undefined) {
      const first = g.firstSaleId == null ? u.ownSaleId : Math.min(g.firstSaleId, u.ownSaleId);
      const last = g.lastSaleId == null ? u.ownSaleId : Math.max(g.lastSaleId, u.ownSaleId);
      if (first !== g.firstSaleId || last !== g.lastSaleId) {
        s.generations = [...s.generations.slice(0, -1), { ...g, firstSaleId: first, lastSaleId: last }];
        changed = true;
      }
    }
    if (u.saleId !== undefined && u.saleId > s.lastSaleId) {
      s.lastSaleId = u.saleId;
      changed = true;
    }
    if (u.emissionId !== undefined && u.emissionId > s.lastEmissionId) {
      s.lastEmissionId = u.emissionId;
      changed = true;
    }
    if (u.attempt !== undefined && u.attempt > s.maxAttempt) {
      s.maxAttempt = u.attempt;
      changed = true;
    }
    if (u.serie && u.numero) {
      const n = Number(u.numero);
      if (Number.isSafeInteger(n) && n > (s.numeros[u.serie] ?? 0)) {
        s.numeros = { ...s.numeros, [u.serie]: n };
        changed = true;
      }
    }
    if (!changed) return;
    try {
      this.#fd ??= openSync(this.path, 'r+');
      const len = this.#encodeInto();
      writeSync(this.#fd, this.#buf, 0, Math.max(len, RECORD_BYTES), 0);
    } catch {
      // A mark that cannot be written only weakens detection; the sale itself is committed.
    }
  }

  close(): void {
    if (this.#fd !== null) {
      try {
        closeSync(this.#fd);
      } catch {
        // already closed
      }
      this.#fd = null;
    }
  }

  #encode(): Buffer {
    const len = this.#encodeInto();
    return this.#buf.subarray(0, Math.max(len, RECORD_BYTES));
  }

  /** JSON padded with spaces to a fixed size, so an in-place overwrite never leaves a tail. */
  #encodeInto(): number {
    const text = JSON.stringify(this.#state);
    const n = this.#buf.write(text, 0, 'utf8');
    if (n >= RECORD_BYTES) {
      // Too many séries or generations: drop the oldest generations until it fits.
      this.#state.generations = this.#state.generations.slice(-5);
      return this.#encodeInto();
    }
    this.#buf.fill(0x20, n);
    return RECORD_BYTES;
  }
}
