// The import flow the manager drives: upload (chunks) → open (parse, suggest the mapping) → check
// (every row, per-row errors, progress) → commit (one transaction: the valid rows, or nothing).
// Parsed files stay in memory for the next steps; only the two most recent are kept.
import { randomUUID } from 'node:crypto';
import type { Crt } from '../../../shared/sale.ts';
import type { ColumnMapping } from '../../../shared/catalog/columns.ts';
import { suggestMapping } from '../../../shared/catalog/columns.ts';
import type { ImportCheck, ImportPreview, ImportProgress, ImportResult } from '../../../shared/catalog/transfer.ts';
import type { Product } from '../../../shared/sale.ts';
import type { Catalog } from '../catalog.ts';
import { ImportError, MAX_IMPORT_BYTES } from './errors.ts';
import { checkMapping, RowReader, type RowError } from './rows.ts';
import { readTable, type Table } from './table.ts';

export interface ImportDeps {
  catalog: () => Catalog;
  crt: () => Crt;
  progress: (p: ImportProgress) => void;
}

/** Errors returned to the screen; the counts cover them all. */
const MAX_ERRORS_SHOWN = 300;
const SLICE = 2_000;

export interface Committed {
  result: ImportResult;
  /** Before/after of every product whose price or fiscal data changed (for the audit log). */
  changes: { before: Product; after: Product }[];
}

export class Uploads {
  readonly #parts = new Map<string, { chunks: Buffer[]; size: number }>();

  add(uploadId: string, seq: number, base64: string): number {
    if (seq === 0) this.#parts.delete(uploadId);
    const entry = this.#parts.get(uploadId) ?? { chunks: [], size: 0 };
    if (entry.chunks.length !== seq) throw new ImportError('import_not_found', 'O envio do arquivo foi interrompido. Escolha o arquivo de novo.');
    const bytes = Buffer.from(base64, 'base64');
    entry.size += bytes.length;
    if (entry.size > MAX_IMPORT_BYTES) {
      this.#parts.delete(uploadId);
      throw new ImportError('import_too_big', `O arquivo passa de ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Divida a planilha em partes. Nada foi importado.`);
    }
    entry.chunks.push(bytes);
    this.#parts.set(uploadId, entry);
    // Only the latest few uploads are kept (an abandoned one never grows memory for long).
    while (this.#parts.size > 3) this.#parts.delete(this.#parts.keys().next().value!);
    return entry.size;
  }

  take(uploadId: string): Buffer {
    const entry = this.#parts.get(uploadId);
    if (!entry) throw new ImportError('import_not_found', 'O arquivo enviado não foi encontrado. Escolha o arquivo de novo.');
    this.#parts.delete(uploadId);
    return Buffer.concat(entry.chunks);
  }
}

export class CatalogImports {
  readonly #deps: ImportDeps;
  readonly #tables = new Map<string, { fileName: string; table: Table; checked?: { key: string; version: number; check: ImportCheck; writes: Product[] } }>();

  constructor(deps: ImportDeps) {
    this.#deps = deps;
  }

  async open(fileName: string, bytes: Uint8Array): Promise<ImportPreview> {
    const table = await readTable(fileName, bytes);
    if (table.rows.length === 0) throw new ImportError('import_empty', 'A planilha só tem o cabeçalho, sem produtos. Nada foi importado.');
    const importId = randomUUID();
    this.#tables.set(importId, { fileName, table });
    while (this.#tables.size > 2) this.#tables.delete(this.#tables.keys().next().value!);
    return {
      importId,
      fileName,
      kind: table.kind,
      encoding: table.encoding,
      separator: table.separator,
      header: table.header,
      sample: table.rows.slice(0, 8).map((r) => r.map((c) => (typeof c === 'object' ? `=${c.formula}` : String(c)))),
      rowCount: table.rows.length,
      suggested: suggestMapping(table.header),
    };
  }

  check(importId: string, mapping: ColumnMapping): Promise<ImportCheck> {
    return this.#run(importId, mapping).then((r) => r.check);
  }

  /** `mode` 'valid': every valid row; 'all': the whole file or nothing when any row has an error. */
  async commit(importId: string, mapping: ColumnMapping, mode: 'valid' | 'all', now: string): Promise<Committed> {
    const { check, writes } = await this.#run(importId, mapping);
    if (mode === 'all' && check.errorRows > 0) {
      throw new ImportError(
        'import_has_errors',
        `${check.errorRows.toLocaleString('pt-BR')} linha(s) com erro: como você pediu "tudo ou nada", nenhum produto foi alterado. Corrija a planilha ou importe só as linhas válidas.`,
      );
    }
    this.#deps.progress({ importId, phase: 'save', done: 0, total: writes.length });
    const catalog = this.#deps.catalog();
    const before = writes.map((p) => catalog.get(p.id));
    catalog.upsertMany(writes, now, true);
    this.#deps.progress({ importId, phase: 'save', done: writes.length, total: writes.length });
    this.#tables.delete(importId);
    const changes = writes.flatMap((after, i) => (before[i] ? [{ before: before[i], after }] : []));
    return { result: { ...check, saved: writes.length }, changes };
  }

  async #run(importId: string, mapping: ColumnMapping): Promise<{ check: ImportCheck; writes: Product[] }> {
    const entry = this.#tables.get(importId);
    if (!entry) throw new ImportError('import_not_found', 'Esta importação expirou. Escolha o arquivo de novo.');
    const problem = checkMapping(mapping);
    if (problem) throw new ImportError('import_mapping', problem);
    const catalog = this.#deps.catalog();
    await catalog.warm();
    // The commit right after a check reuses it, unless the mapping or the catalog changed since.
    const key = JSON.stringify(Object.entries(mapping).sort());
    if (entry.checked && entry.checked.key === key && entry.checked.version === catalog.version) return entry.checked;
    const reader = new RowReader(mapping, { catalog, profiles: catalog.profiles(), crt: this.#deps.crt(), newId: () => randomUUID() });
    const rows = entry.table.rows;
    const check: ImportCheck = { importId, total: rows.length, created: 0, updated: 0, unchanged: 0, errorRows: 0, errors: [] };
    const writes: Product[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (i % SLICE === 0) {
        this.#deps.progress({ importId, phase: 'check', done: i, total: rows.length });
        await new Promise<void>((r) => setImmediate(r));
      }
      const out = reader.read(rows[i]!, i + 2);
      if (out.kind === 'error') {
        check.errorRows++;
        pushErrors(check.errors, out.errors);
      } else if (out.kind === 'same') check.unchanged++;
      else {
        if (out.kind === 'create') check.created++;
        else check.updated++;
        writes.push(out.product);
      }
    }
    this.#deps.progress({ importId, phase: 'check', done: rows.length, total: rows.length });
    entry.checked = { key, version: catalog.version, check, writes };
    return entry.checked;
  }
}

function pushErrors(into: RowError[], more: RowError[]): void {
  for (const e of more) if (into.length < MAX_ERRORS_SHOWN) into.push(e);
}
