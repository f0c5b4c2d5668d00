// Local copy of every authorized (and cancelled) note's XML, as the law asks the shop to keep them:
// <dataDir>/xml/<CNPJ>/<AAAAMM>/<chave>-nfe.xml and <chave>-can.xml. Downloads run on the scheduler's
// background lane, so they never delay a sale; each file is written atomically.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../secrets/atomic-file.ts';
import type { FocusApi } from '../focus/types.ts';
import type { Journal } from '../db/journal.ts';
import type { EmissionRow } from '../db/types.ts';
import { ARCHIVABLE_STATES } from '../../shared/emission.ts';
import type { FocusScheduler } from './scheduler.ts';

/** Where a note's XML lives, from its 44-digit chave (CNPJ at 6..20, AAMM at 2..6). */
export function archivePath(dataDir: string, chave: string, kind: 'nfe' | 'can'): string {
  const key = chave.replace(/^NFe/i, '');
  if (!/^\d{6}[0-9A-Z]{12}\d{2}\d{24}$/.test(key)) throw new Error(`chave de acesso inválida: ${chave}`);
  const aamm = key.slice(2, 6);
  const cnpj = key.slice(6, 20);
  return join(dataDir, 'xml', cnpj, `20${aamm}`, `${key}-${kind}.xml`);
}

export interface ArchiverOptions {
  journal: Journal;
  api: FocusApi;
  scheduler: FocusScheduler;
  dataDir: string;
  now: () => number;
  /** Attempts per file in one run of the app before giving up until the next start. Default 5. */
  maxAttempts?: number;
  retryMs?: number;
}

export class XmlArchiver {
  readonly #o: ArchiverOptions;
  readonly #inFlight = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(opts: ArchiverOptions) {
    this.#o = opts;
  }

  /** Queues whatever this emission still lacks locally. */
  enqueue(row: EmissionRow): void {
    if (this.#closed || !row.chave) return;
    if (row.caminhoXml && row.xmlArchivedMs === null && ARCHIVABLE_STATES.includes(row.state)) {
      this.#queue(row.id, row.chave, row.caminhoXml, 'nfe');
    }
    if (row.state === 'cancelled' && row.caminhoXmlCancel && row.canArchivedMs === null) {
      this.#queue(row.id, row.chave, row.caminhoXmlCancel, 'can');
    }
  }

  /** Picks up everything left unarchived by earlier runs. */
  enqueueBacklog(limit = 200): number {
    const rows = this.#o.journal.emissions.listUnarchived(limit);
    for (const r of rows) this.enqueue(r);
    return rows.length;
  }

  pending(): number {
    return this.#inFlight.size;
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #queue(emissionId: number, chave: string, caminho: string, kind: 'nfe' | 'can'): void {
    const key = `${emissionId}:${kind}`;
    if (this.#inFlight.has(key)) return;
    this.#inFlight.add(key);
    void this.#o.scheduler
      .run('background', () => this.#o.api.download(caminho))
      .then((out) => {
        if (this.#closed) return;
        if (out.kind !== 'ok') throw new Error(out.kind === 'api-error' ? `${out.status} ${out.error.codigo}` : out.kind);
        const path = archivePath(this.#o.dataDir, chave, kind);
        writeFileAtomic(path, out.body, 0o644);
        this.#o.journal.emissions.update(emissionId, kind === 'nfe' ? { xmlArchivedMs: this.#o.now() } : { canArchivedMs: this.#o.now() });
        this.#inFlight.delete(key);
      })
      .catch(() => {
        this.#inFlight.delete(key);
        if (this.#closed) return;
        const n = (this.#failures.get(key) ?? 0) + 1;
        this.#failures.set(key, n);
        if (n >= (this.#o.maxAttempts ?? 5)) return;
        const t = setTimeout(
          () => {
            this.#timers.delete(t);
            const row = this.#o.journal.emissions.get(emissionId);
            if (row) this.enqueue(row);
          },
          (this.#o.retryMs ?? 5_000) * n,
        );
        t.unref?.();
        this.#timers.add(t);
      });
  }

  /** True when the note's XML is on disk (tests, diagnostics). */
  static has(dataDir: string, chave: string, kind: 'nfe' | 'can'): boolean {
    return existsSync(archivePath(dataDir, chave, kind));
  }
}
