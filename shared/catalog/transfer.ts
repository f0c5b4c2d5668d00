// What the catalog's import, export and NF-e screens exchange with the core. Files travel in
// base64 chunks: one RPC message stays far below the host's 1 MiB limit.
import type { ColumnMapping } from './columns.ts';

/** Raw bytes per chunk (base64 makes it ~700 KB on the wire). */
export const TRANSFER_CHUNK_BYTES = 512 * 1024;

export interface ImportPreview {
  importId: string;
  fileName: string;
  kind: 'csv' | 'xlsx';
  /** What the file was read as (CSV only): utf-8, windows-1252 or utf-16le. */
  encoding: string | null;
  separator: string | null;
  header: string[];
  /** First rows as text, for the mapping screen. */
  sample: string[][];
  rowCount: number;
  suggested: ColumnMapping;
}

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export interface ImportCheck {
  importId: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused (each may have several errors). */
  errorRows: number;
  /** The first errors, in file order. */
  errors: ImportRowError[];
}

export interface ImportResult extends ImportCheck {
  /** Rows written: created + updated. */
  saved: number;
}

export interface ImportProgress {
  importId: string;
  phase: 'check' | 'save';
  done: number;
  total: number;
}

export interface NfeLine {
  n: number;
  supplierCode: string;
  gtin: string | null;
  description: string;
  ncm: string;
  cest: string | null;
  cfop: string;
  /** CFOP the shop uses to resell it (PURCHASE_TO_SALE_CFOP). */
  saleCfop: string;
  unit: string;
  qtyE4: number;
  unitCostCents: number;
  /** Existing product with the same GTIN, if any. */
  match: { id: string; code: string; description: string; priceCents: number } | null;
}

export interface NfePreview {
  nfeId: string;
  supplier: { cnpj: string; name: string };
  numero: string;
  serie: string;
  chave: string | null;
  items: NfeLine[];
}
