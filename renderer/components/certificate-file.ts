// The A1 certificate file as the screens take it (setup, Configurações, the secrets screen): checked
// for what a browser can see (name, size), then read as base64 for the core, which does the real
// checks (PKCS#12, password, expiry, CNPJ). The bytes are never kept by the screen.
export type CertificateFile = { ok: true; pfxBase64: string } | { ok: false; message: string };

export async function readCertificateFile(file: File | undefined): Promise<CertificateFile> {
  if (!file) return { ok: false, message: 'Escolha o arquivo do certificado A1 (.pfx ou .p12).' };
  if (!/\.(pfx|p12)$/i.test(file.name)) return { ok: false, message: 'O certificado A1 é um arquivo .pfx ou .p12.' };
  if (file.size > 150_000) return { ok: false, message: 'Arquivo grande demais para um certificado A1. Confira se escolheu o arquivo certo.' };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, message: 'Não foi possível ler o arquivo. Copie-o para o computador e tente de novo.' };
  }
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return { ok: true, pfxBase64: btoa(bin) };
}
