// The catalog's file work for one core: uploads in progress, parsed spreadsheets and NF-e, and
// exports waiting to be downloaded. Everything is in memory and short-lived.
import { randomUUID } from 'node:crypto';
import { TRANSFER_CHUNK_BYTES } from '../../../shared/catalog/transfer.ts';
import { ImportError } from './errors.ts';
import type { NfeDocument } from './nfe.ts';
import { CatalogImports, Uploads, type ImportDeps } from './service.ts';

export class CatalogWorkspace {
  readonly uploads = new Uploads();
  readonly imports: CatalogImports;
  readonly #nfes = new Map<string, NfeDocument>();
  readonly #exports = new Map<string, Buffer>();

  constructor(deps: ImportDeps) {
    this.imports = new CatalogImports(deps);
  }

  keepNfe(doc: NfeDocument): string {
    const id = randomUUID();
    this.#nfes.set(id, doc);
    while (this.#nfes.size > 2) this.#nfes.delete(this.#nfes.keys().next().value!);
    return id;
  }

  nfe(id: string): NfeDocument {
    const doc = this.#nfes.get(id);
    if (!doc) throw new ImportError('import_not_found', 'Esta NF-e expirou. Escolha o arquivo XML de novo.');
    return doc;
  }

  dropNfe(id: string): void {
    this.#nfes.delete(id);
  }

  keepExport(bytes: Buffer): { exportId: string; size: number; chunks: number } {
    const exportId = randomUUID();
    this.#exports.set(exportId, bytes);
    while (this.#exports.size > 2) this.#exports.delete(this.#exports.keys().next().value!);
    return { exportId, size: bytes.length, chunks: Math.max(1, Math.ceil(bytes.length / TRANSFER_CHUNK_BYTES)) };
  }

  exportChunk(exportId: string, seq: number): string {
    const bytes = this.#exports.get(exportId);
    if (!bytes) throw new ImportError('import_not_found', 'A exportação expirou. Exporte de novo.');
    const part = bytes.subarray(seq * TRANSFER_CHUNK_BYTES, (seq + 1) * TRANSFER_CHUNK_BYTES);
    if (part.length === 0 || (seq + 1) * TRANSFER_CHUNK_BYTES >= bytes.length) this.#exports.delete(exportId);
    return part.toString('base64');
  }
}
