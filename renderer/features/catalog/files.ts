// Files to and from the core in chunks (one RPC message stays small).
import { TRANSFER_CHUNK_BYTES } from '../../../shared/catalog/transfer.ts';
import { call, pos } from '../../pos.ts';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function uploadFile(file: File, onProgress?: (done: number, total: number) => void): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const uploadId = crypto.randomUUID();
  const chunks = Math.max(1, Math.ceil(bytes.length / TRANSFER_CHUNK_BYTES));
  for (let seq = 0; seq < chunks; seq++) {
    await call(pos().catalog.upload({ uploadId, seq, data: toBase64(bytes.subarray(seq * TRANSFER_CHUNK_BYTES, (seq + 1) * TRANSFER_CHUNK_BYTES)) }));
    onProgress?.(seq + 1, chunks);
  }
  return uploadId;
}

export async function downloadExport(format: 'csv' | 'xlsx'): Promise<void> {
  const exp = await call(pos().catalog.export({ format }));
  const parts: BlobPart[] = [];
  for (let seq = 0; seq < exp.chunks; seq++) {
    const { data } = await call(pos().catalog.download({ exportId: exp.exportId, seq }));
    parts.push(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  }
  const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = exp.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
