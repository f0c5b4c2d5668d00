// Child process: imports two certificates (each with its own password) in turn, forever, until
// SIGKILLed. argv: vault dir, a.pfx, b.pfx. Prints "imported" after each import.
import { readFileSync } from 'node:fs';
import { FileVault } from '../../../main/secrets/file-vault.ts';
import { CertificateStore } from '../../../main/contingency/certificate.ts';

const [dir, aPath, bPath] = process.argv.slice(2) as [string, string, string];
const store = new CertificateStore({ vault: new FileVault(dir) });
const pairs = [
  { pfx: new Uint8Array(readFileSync(bPath)), password: 'senha-bb-outra' },
  { pfx: new Uint8Array(readFileSync(aPath)), password: 'senha-a' },
];
for (let i = 0; ; i++) {
  const c = pairs[i % 2]!;
  await store.import(c.pfx, c.password);
  process.stdout.write('imported\n');
}
