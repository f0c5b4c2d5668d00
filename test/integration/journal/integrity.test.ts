// A damaged journal never crashes the app: one bad page, a truncated file or a bad header is
// refused at open with the code 'journal_damaged' and the recovery steps in Portuguese.
import { mkdtempSync, openSync, closeSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../main/db/journal.ts';
import { JournalError } from '../../../main/db/errors.ts';
import { saleFor } from '../emission/fixtures.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'balcao-integrity-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function journalWithSales(name: string, n: number): Promise<string> {
  const path = join(root, name);
  const j = Journal.open({ path });
  const sales = await Promise.all(Array.from({ length: n }, (_, i) => saleFor(i, `${name}_${i}`)));
  j.transaction(() => sales.forEach((s) => j.sales.commitSale(s, { environment: 'homologacao' })));
  expect(j.checkIntegrity(true)).toEqual([]);
  j.close();
  return path;
}

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

function refusal(path: string): JournalError {
  try {
    Journal.open({ path }).close();
  } catch (e) {
    expect(e).toBeInstanceOf(JournalError);
    return e as JournalError;
  }
  throw new Error('the damaged journal was opened');
}

describe('a damaged journal', () => {
  it('one damaged 4 KB page is found at open, before any sale', async () => {
    const path = await journalWithSales('page.sqlite', 300);
    const pages = statSync(path).size / 4096;
    overwrite(path, Math.floor(pages / 2) * 4096, Buffer.alloc(4096, 0xa5));
    const e = refusal(path);
    expect(e.code).toBe('journal_damaged');
    expect(e.message).toMatch(/danificado.*1\) não apague nada.*restaure a última cópia de segurança/);
  });

  it('a truncated file', async () => {
    const path = await journalWithSales('truncated.sqlite', 300);
    truncateSync(path, Math.floor(statSync(path).size / 2 / 4096) * 4096);
    expect(refusal(path).code).toBe('journal_damaged');
  });

  it('a bad header', async () => {
    const path = await journalWithSales('header.sqlite', 5);
    overwrite(path, 0, Buffer.from('not a sqlite file'));
    expect(refusal(path).code).toBe('journal_damaged');
  });
});
