// Files the manager picks in the browser (the A1 certificate, the receipt logo), read as base64
// for the core's file channels. One reader for every screen; the bytes are never kept by the screen.

/** The message shown when the browser cannot read a picked file (e.g. on a network share that went away). */
export const UNREADABLE_FILE = 'Não foi possível ler o arquivo. Copie-o para o computador e tente de novo.';

/** A picked file's bytes as base64; rejects when the browser cannot read it. */
export async function readFileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  // In slices: String.fromCharCode over a whole file would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export type CertificateFile = { ok: true; pfxBase64: string } | { ok: false; message: string };

/**
 * The A1 certificate as the screens take it (setup, Configurações, the secrets screen): checked for
 * what a browser can see (name, size), then read; the core does the real checks (PKCS#12,
 * password, expiry, CNPJ).
 */
export async function readCertificateFile(file: File | undefined): Promise<CertificateFile> {
  if (!file) return { ok: false, message: 'Escolha o arquivo do certificado A1 (.pfx ou .p12).' };
  if (!/\.(pfx|p12)$/i.test(file.name)) return { ok: false, message: 'O certificado A1 é um arquivo .pfx ou .p12.' };
  if (file.size > 150_000) return { ok: false, message: 'Arquivo grande demais para um certificado A1. Confira se escolheu o arquivo certo.' };
  try {
    return { ok: true, pfxBase64: await readFileBase64(file) };
  } catch {
    return { ok: false, message: UNREADABLE_FILE };
  }
}
