// The month's zip writer: what it writes is read back by two decoders (fflate's unzip and a walk of
// the local headers through Node's zlib, which refuses a deflate stream without its final block),
// with a reused input buffer, UTF-8 names, stored and deflated entries, and more than 65,535 files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { ZipWriter } from '../../../../main/reports/zip-writer.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'balcao-zip-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function writeZip(fill: (zip: ZipWriter) => Promise<void>): Promise<Buffer> {
  const path = join(dir, 'out.zip');
  const fd = openSync(path, 'w');
  const zip = new ZipWriter(fd, new Date(2026, 3, 30, 18, 45, 10));
  await fill(zip);
  zip.end();
  closeSync(fd);
  const bytes = readFileSync(path);
  expect(zip.size).toBe(bytes.length);
  return bytes;
}

/** Every entry by walking the local headers, each body inflated on its own by Node's zlib. */
function walkLocal(bytes: Buffer): { name: string; data: Buffer; crc: number }[] {
  const out: { name: string; data: Buffer; crc: number }[] = [];
  let at = 0;
  while (bytes.readUInt32LE(at) === 0x04034b50) {
    const method = bytes.readUInt16LE(at + 8);
    const crc = bytes.readUInt32LE(at + 14);
    const size = bytes.readUInt32LE(at + 18);
    const nameLen = bytes.readUInt16LE(at + 26);
    const extraLen = bytes.readUInt16LE(at + 28);
    const name = bytes.toString('utf8', at + 30, at + 30 + nameLen);
    const body = bytes.subarray(at + 30 + nameLen + extraLen, at + 30 + nameLen + extraLen + size);
    out.push({ name, crc, data: method === 8 ? inflateRawSync(body) : Buffer.from(body) });
    at += 30 + nameLen + extraLen + size;
  }
  return out;
}

const xml = (i: number) =>
  Buffer.from(`<?xml version="1.0"?><nfeProc><chNFe>${String(i).padStart(44, '0')}</chNFe>${'<det>Arroz 5 kg</det>'.repeat(50 + (i % 7))}</nfeProc>`);

describe('ZipWriter', () => {
  it('writes deflated and stored entries that each decode on their own, from a buffer the caller reuses', async () => {
    const pdf = Buffer.from('%PDF-1.3 not compressed again');
    const names = ['autorizadas/a-nfe.xml', 'canceladas/b-nfe.xml', 'cancelamentos/b-can.xml', 'resumo/relatório ação.csv'];
    const shared = Buffer.alloc(64 * 1024);
    const bytes = await writeZip(async (zip) => {
      for (const [i, name] of names.entries()) {
        // The export reads every XML into one buffer: the previous entry must be done with it.
        const n = xml(i).copy(shared);
        await zip.add(name, shared.subarray(0, n));
        shared.fill(0x41);
      }
      await zip.add('resumo/resumo.pdf', pdf, false);
      // A damaged (empty) XML between two others: it goes in as it is, the next one still deflates.
      await zip.add('autorizadas/vazio-nfe.xml', new Uint8Array(0));
      await zip.add('autorizadas/depois-nfe.xml', xml(9));
    });

    const unzipped = unzipSync(bytes);
    const all = [...names, 'resumo/resumo.pdf', 'autorizadas/vazio-nfe.xml', 'autorizadas/depois-nfe.xml'];
    expect(Object.keys(unzipped)).toEqual(all);
    expect(unzipped['autorizadas/vazio-nfe.xml']).toHaveLength(0);
    expect(Buffer.from(unzipped['autorizadas/depois-nfe.xml']!).equals(xml(9))).toBe(true);
    names.forEach((name, i) => expect(Buffer.from(unzipped[name]!).equals(xml(i))).toBe(true));
    expect(Buffer.from(unzipped['resumo/resumo.pdf']!).equals(pdf)).toBe(true);

    const walked = walkLocal(bytes);
    expect(walked.map((e) => e.name)).toEqual(all);
    for (const e of walked) expect(e.crc).toBe(crc32(e.data));
    // Compressed for real: an XML of repeated lines shrinks well.
    expect(bytes.length).toBeLessThan((names.reduce((a, _, i) => a + xml(i).length, 0) + xml(9).length) / 3);
  });

  it('holds more than 65,535 files (ZIP64 end records), all listed', async () => {
    const count = 70_000;
    const bytes = await writeZip(async (zip) => {
      for (let i = 0; i < count; i++) await zip.add(`autorizadas/${i}-nfe.xml`, Buffer.from(String(i)), false);
    });
    // The classic end record says "see ZIP64"; the ZIP64 one holds the real count.
    const end = bytes.length - 22;
    expect(bytes.readUInt32LE(end)).toBe(0x06054b50);
    expect(bytes.readUInt16LE(end + 10)).toBe(0xffff);
    expect(bytes.readUInt32LE(end - 20)).toBe(0x07064b50);
    const end64 = Number(bytes.readBigUInt64LE(end - 20 + 8));
    expect(bytes.readUInt32LE(end64)).toBe(0x06064b50);
    expect(Number(bytes.readBigUInt64LE(end64 + 32))).toBe(count);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toHaveLength(count);
    expect(Buffer.from(files['autorizadas/69999-nfe.xml']!).toString()).toBe('69999');
  });

  it('writes the plain end record below 65,535 files', async () => {
    const bytes = await writeZip(async (zip) => {
      await zip.add('LEIAME.txt', Buffer.from('nada'));
    });
    expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50);
    expect(bytes.readUInt16LE(bytes.length - 22 + 10)).toBe(1);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
  });
});
