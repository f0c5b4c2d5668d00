import { describe, expect, it } from 'vitest';
import { decodeQr } from '../../../fixtures/receipt/qr-decode.ts';
import { buildReceipt, withDrawerKick } from '../../../../shared/receipt/model.ts';
import { layoutReceipt, layoutToText } from '../../../../shared/receipt/layout.ts';
import QRCode from 'qrcode';
import { encodeDrawerKick, encodeReceipt, planQr, qrModuleRange, rasterQr } from '../../../../main/printing/escpos.ts';
import { transliterate } from '../../../../main/printing/codepage.ts';
import { sampleReceiptInput } from '../../../../main/printing/sample.ts';
import { decodeEscPos, imageToRgba } from '../../../fixtures/fake-printer.ts';
import { SCENARIOS, scenario } from '../../../fixtures/receipt/scenarios.ts';
import { expectGolden, hexDump } from '../../../fixtures/receipt/golden.ts';

/** The layout text as a cp860 printer shows it (the QR is a command, not a line). */
function expectedPieces(name: string): string[][] {
  const text = layoutToText(layoutReceipt(buildReceipt(scenario(name))))
    .split('\n')
    .map((l) => transliterate(l, 'cp860'))
    .join('\n');
  return text
    .trimEnd()
    .split(/\n={32,48}\n/)
    .map((copy) => copy.split('\n').filter((l) => l.trim() !== '[QR Code]' && l.trim() !== '[Logotipo]'));
}

describe('encodeReceipt', () => {
  it.each(Object.keys(SCENARIOS))('%s: the printer would print exactly the laid-out text, then cut', (name) => {
    const model = buildReceipt(scenario(name));
    const job = decodeEscPos(encodeReceipt(model));
    const printed = job.pieces.map((p) => p.map((l) => l.replace(/\s+$/, '')).filter((l) => l !== ''));
    expect(printed).toEqual(expectedPieces(name).map((p) => p.filter((l) => l !== '')));
    expect(job.cuts).toBe(model.copies.length);
    expect(job.qrs).toHaveLength(model.copies.length);
    for (const qr of job.qrs) {
      expect(qr).toMatchObject({ model: 2, errorLevel: 'M', data: model.qrContent, printed: true });
    }
    expect(job.codepageTables[0]).toBe(3); // cp860 in Epson numbering
  });

  it('accents come out right in cp860 (the default) and in windows1252', () => {
    const model = buildReceipt(sampleReceiptInput({ environment: 'producao' }));
    const cp860 = encodeReceipt(model);
    // "SÃO JOÃO": Ã is 0x8E in cp860
    expect(Buffer.from(cp860).includes(Buffer.from([0x53, 0x8e, 0x4f, 0x20, 0x4a, 0x4f, 0x8e, 0x4f]))).toBe(true);
    expect(decodeEscPos(cp860).lines.some((l) => l.includes('MERCEARIA SÃO JOÃO LTDA'))).toBe(true);
    const w1252 = encodeReceipt(model, { codePage: 'windows1252' });
    expect(Buffer.from(w1252).includes(Buffer.from('SÃO JOÃO', 'latin1'))).toBe(true);
    expect(decodeEscPos(w1252).codepageTables[0]).toBe(16);
  });

  it('a custom table number for clones is sent as ESC t n', () => {
    const model = buildReceipt(sampleReceiptInput());
    const job = decodeEscPos(encodeReceipt(model, { codePage: 'cp860:17' }), { 17: 'cp860' });
    expect(job.codepageTables).toEqual([17]);
    expect(job.lines.join('\n')).toContain('Empório do Bairro');
  });

  it('characters missing from the code page are transliterated, never sent as "?"', () => {
    const model = buildReceipt(scenario('homologation'));
    const job = decodeEscPos(encodeReceipt(model));
    // The en dash of the homologation message does not exist in cp860.
    expect(job.lines.some((l) => l.includes('HOMOLOGAÇÃO - SEM VALOR FISCAL'))).toBe(true);
    expect(job.lines.join('\n')).not.toContain('?');
  });

  it('kicks the cash drawer only on the first print of a sale that had cash, once per job; never on a reprint', () => {
    const cash = decodeEscPos(encodeReceipt(withDrawerKick(buildReceipt(scenario('contingency')), true)));
    expect(cash.pulses).toBe(1);
    expect(cash.events.findIndex((e) => e.type === 'pulse')).toBeLessThan(cash.events.findIndex((e) => e.type === 'text'));
    expect(decodeEscPos(encodeReceipt(withDrawerKick(buildReceipt(scenario('contingency')), false))).pulses).toBe(0);
    expect(decodeEscPos(encodeReceipt(buildReceipt(scenario('contingency')))).pulses).toBe(0);
    const card = decodeEscPos(encodeReceipt(withDrawerKick(buildReceipt(scenario('homologation')), true)));
    expect(card.pulses).toBe(0);
    const kick = decodeEscPos(encodeDrawerKick());
    expect([kick.pulses, kick.lines.filter((l) => l.trim() !== '').length, kick.cuts]).toEqual([1, 0, 0]);
    expect(decodeEscPos(encodeReceipt(buildReceipt(scenario('homologation')), { drawer: true })).pulses).toBe(1);
    expect(decodeEscPos(encodeReceipt(buildReceipt(scenario('contingency')), { drawer: false })).pulses).toBe(0);
  });

  it('contingency prints two full copies, each with its via label and cut', () => {
    const job = decodeEscPos(encodeReceipt(buildReceipt(scenario('contingency'))));
    expect(job.pieces).toHaveLength(2);
    expect(job.pieces[0]?.some((l) => l.trim() === 'Via Consumidor')).toBe(true);
    expect(job.pieces[1]?.some((l) => l.trim() === 'Via Estabelecimento')).toBe(true);
    expect(job.cuts).toBe(2);
  });

  it('raster fallback: no QR command, an image that decodes to the exact QR content', () => {
    const model = buildReceipt(scenario('58mm'));
    const job = decodeEscPos(encodeReceipt(model, { nativeQr: false }));
    expect(job.qrs).toHaveLength(0);
    expect(job.images).toHaveLength(1);
    const img = job.images[0];
    if (!img) throw new Error('no image');
    expect(img.width).toBeLessThanOrEqual(384);
    expect(decodeQr(imageToRgba(img), img.width, img.height)).toBe(model.qrContent);
    // ≥ 25 mm at 203 dpi: count the dark extent of the symbol.
    let minX = img.width;
    let maxX = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if (img.pixels[y * img.width + x]) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
    }
    expect(((maxX - minX + 1) / 203) * 25.4).toBeGreaterThanOrEqual(25);
  });
});

describe('planQr', () => {
  it('a v2 online QR is at least 25 mm at 203 dpi and fits 58 mm paper', () => {
    const content = buildReceipt(sampleReceiptInput()).qrContent;
    const plan = planQr(content, { printableDots: 384 });
    expect(plan.sideMm).toBeGreaterThanOrEqual(25);
    expect(plan.maxModules * plan.moduleDots).toBeLessThanOrEqual(384);
  });

  it('a long v3 offline QR (RSA signature) still fits and stays ≥ 25 mm', () => {
    const chave = buildReceipt(sampleReceiptInput({ contingency: true })).consulta.chave.replace(/ /g, '');
    const content = `http://www.fazenda.pr.gov.br/nfce/qrcode?p=${chave}|3|1|24|76.02||${'A'.repeat(342)}==`;
    for (const dots of [384, 576]) {
      const plan = planQr(content, { printableDots: dots });
      expect(plan.sideMm).toBeGreaterThanOrEqual(25);
      expect(plan.maxModules * plan.moduleDots).toBeLessThanOrEqual(dots);
    }
  });

  it('uses a bigger module on a 300 dpi printer to keep the physical size', () => {
    const content = buildReceipt(sampleReceiptInput()).qrContent;
    const p203 = planQr(content, { printableDots: 576 });
    const p300 = planQr(content, { printableDots: 852, dpi: 300 });
    expect(p300.moduleDots).toBeGreaterThan(p203.moduleDots);
    expect(p300.sideMm).toBeGreaterThanOrEqual(25);
  });

  it('rasterQr draws a width that is a multiple of 8 dots', () => {
    const img = rasterQr('https://example.com/?p=1', 5, 384);
    expect(img.width % 8).toBe(0);
    expect(img.height % 8).toBe(0);
    expect(decodeQr(img.data, img.width, img.height)).toBe('https://example.com/?p=1');
  });
});

describe('ESC/POS goldens', () => {
  it.each(Object.keys(SCENARIOS))('%s', (name) => {
    expectGolden(`${name}.escpos.hex`, hexDump(encodeReceipt(buildReceipt(scenario(name)))));
  });
});

describe('qrModuleRange', () => {
  it('brackets the symbol qrcode builds: optimal ≥ min, byte mode = max', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '0123456789ABCDEFabcdefxyz/:?=.|&%-_';
    // 30 seeded strings here; bench:receipt checks 300 more and times qrModuleRange.
    for (let n = 0; n < 30; n++) {
      const len = 1 + Math.floor(rnd() * 900);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const range = qrModuleRange(s);
      const optimal = QRCode.create(s, { errorCorrectionLevel: 'M' }).modules.size;
      const byteMode = QRCode.create([{ data: new TextEncoder().encode(s), mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules.size;
      expect(range.minModules, s).toBeLessThanOrEqual(optimal);
      expect(range.maxModules, s).toBe(byteMode);
    }
  });
});
