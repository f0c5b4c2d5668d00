import { createHash, createPublicKey, verify, constants } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../../main/db/journal.ts';
import { FileVault } from '../../../../main/secrets/file-vault.ts';
import { CertificateStore } from '../../../../main/contingency/certificate.ts';
import { ContingencyIssuer, type ContingencyConfig } from '../../../../main/contingency/issuer.ts';
import { ContingencyStore } from '../../../../main/contingency/store.ts';
import { DEMO_EMITTER } from '../../../../main/demo/emitter.ts';
import { isValidChave, isValidCnf, parseChave } from '../../../../shared/fiscal/chave.ts';
import { parseFocusDateTime } from '../../../../shared/datetime.ts';
import type { EmissionView } from '../../../../shared/emission.ts';
import { saleFor } from '../../../integration/emission/fixtures.ts';
import { makeTestCertificate, type TestCertificate } from './test-certificate.ts';

let cert: TestCertificate;
beforeAll(() => {
  cert = makeTestCertificate({ cnpj: DEMO_EMITTER.cnpj });
});

const dirs: string[] = [];
const journals: Journal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function rig(opts: { cert?: TestCertificate | null; config?: Partial<ContingencyConfig>; randomInt?: (m: number) => number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'balcao-issuer-'));
  dirs.push(dir);
  const journal = Journal.open({ path: join(dir, 'vendas.db') });
  journals.push(journal);
  const vault = new FileVault(join(dir, 'secrets'));
  const certificates = new CertificateStore({ vault });
  const c = opts.cert === undefined ? cert : opts.cert;
  if (c) await certificates.import(c.pfx, c.password);
  const config: ContingencyConfig = {
    environment: 'homologacao',
    emitter: DEMO_EMITTER,
    terminalId: 'PDV01',
    serie: '1',
    contingencySerie: '900',
    qrVersion: 3,
    ...opts.config,
  };
  const printed: EmissionView[] = [];
  const store = new ContingencyStore(journal);
  const issuer = new ContingencyIssuer({
    store,
    certificates,
    config: () => config,
    ...(opts.randomInt ? { randomInt: opts.randomInt } : {}),
    print: (v) => void printed.push(v),
  });
  const commit = async (n: number) => journal.sales.commitSale(await saleFor(n), { environment: config.environment });
  return { dir, journal, store, issuer, printed, commit, config };
}

describe('ContingencyIssuer', () => {
  it('issues a tpEmis 9 note: own série and counter, valid chave and cNF, dhCont ≤ dhEmi, signed v3 QR, two copies queued', async () => {
    const r = await rig();
    const { sale, emission } = await r.commit(1);
    const res = await r.issuer.issue(sale.id, 'offline');
    expect(res.kind).toBe('issued');
    if (res.kind !== 'issued') return;
    const row = res.row;
    expect(row.state).toBe('contingency');
    expect(row.attempt).toBe(2);
    expect(row.serie).toBe('900');
    expect(row.numero).toBe('1');
    expect(row.tpEmis).toBe('9');
    const chave = row.chave as string;
    expect(isValidChave(chave)).toBe(true);
    const f = parseChave(chave);
    expect(f).toMatchObject({ uf: 'PR', serie: 900, numero: 1, tpEmis: 9, cnpj: DEMO_EMITTER.cnpj, modelo: '65' });
    expect(f?.cnf).toBe(row.cnf);
    expect(isValidCnf(row.cnf as string, 1)).toBe(true);
    // AAMM from the sale's local date.
    const dh = parseFocusDateTime(sale.createdAt)!;
    expect(f?.aamm).toBe(`${String(dh.year % 100).padStart(2, '0')}${String(dh.month).padStart(2, '0')}`);
    // dhCont recorded, never after dhEmi, with the same offset; xJust ≥ 15.
    const dhCont = parseFocusDateTime(row.dhCont as string)!;
    expect(dhCont.epochMs).toBeLessThanOrEqual(dh.epochMs);
    expect(dhCont.offsetMinutes).toBe(dh.offsetMinutes);
    expect((row.xJust as string).length).toBeGreaterThanOrEqual(15);

    // The QR, rebuilt here from the published v3 algorithm (nfce-rules §2.2), independently of the code.
    const qr = row.offlineQr as string;
    expect(qr.startsWith('http://www.fazenda.pr.gov.br/nfce/qrcode?p=')).toBe(true);
    const p = qr.slice(qr.indexOf('?p=') + 3).split('|');
    expect(p).toHaveLength(8);
    const total = (sale.totalCents / 100).toFixed(2);
    const signed = `${chave}|3|2|${String(dh.day).padStart(2, '0')}|${total}||`;
    expect(p.slice(0, 7).join('|')).toBe(signed);
    const ok = verify(
      'sha1',
      Buffer.from(signed, 'utf8'),
      { key: createPublicKey(cert.certPem), padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(p[7] as string, 'base64'),
    );
    expect(ok).toBe(true);
    expect(row.qrcodeUrl).toBe(qr);
    expect(row.urlConsulta).toBe('http://www.fazenda.pr.gov.br/nfce/consulta');

    // The payload kept for transmission carries the same numbering and the original date.
    const payload = JSON.parse(row.payloadJson as string) as Record<string, unknown>;
    expect(payload).toMatchObject({ numero: '1', serie: '900', codigo_unico: row.cnf, data_emissao: sale.createdAt });

    // The attempt that never left is superseded in the same transaction; printing was requested once.
    expect(r.journal.emissions.get(emission.id)?.state).toBe('superseded');
    expect(r.printed.map((v) => [v.saleId, v.state, v.contingency])).toEqual([[sale.id, 'contingency', true]]);
    expect(r.journal.audit.forSale(sale.id).some((a) => a.action === 'contingency')).toBe(true);
  });

  it('is idempotent per sale and never reuses a number, even after reopening the journal', async () => {
    const r = await rig();
    const s1 = (await r.commit(1)).sale;
    const s2 = (await r.commit(2)).sale;
    const a = await r.issuer.issue(s1.id, 'offline');
    const again = await r.issuer.issue(s1.id, 'deadline');
    expect(again.kind === 'issued' && !again.created).toBe(true);
    const b = await r.issuer.issue(s2.id, 'offline');
    expect([a, b].map((x) => (x.kind === 'issued' ? x.row.numero : null))).toEqual(['1', '2']);
    expect(r.printed).toHaveLength(2);

    // "Crash": reopen the same file with fresh objects.
    r.journal.close();
    const j2 = Journal.open({ path: join(r.dir, 'vendas.db') });
    journals.push(j2);
    const issuer2 = new ContingencyIssuer({
      store: new ContingencyStore(j2),
      certificates: new CertificateStore({ vault: new FileVault(join(r.dir, 'secrets')) }),
      config: () => r.config,
    });
    const s3 = j2.sales.commitSale(await saleFor(3), { environment: 'homologacao' }).sale;
    const c = await issuer2.issue(s3.id, 'offline');
    expect(c.kind === 'issued' && c.row.numero).toBe('3');
  });

  it('a failure while building the note spends no number', async () => {
    let calls = 0;
    const r = await rig({
      randomInt: () => {
        calls++;
        if (calls === 1) throw new Error('entropy source failed');
        return 48_151_623;
      },
    });
    const s1 = (await r.commit(1)).sale;
    await expect(r.issuer.issue(s1.id, 'offline')).rejects.toThrow(/entropy/);
    expect(r.journal.emissions.latestForSale(s1.id)?.state).toBe('pending');
    const ok = await r.issuer.issue(s1.id, 'offline');
    expect(ok.kind === 'issued' && ok.row.numero).toBe('1');
    expect(ok.kind === 'issued' && ok.row.cnf).toBe('48151623');
  });

  it('cNF redraws forbidden values and the note number', async () => {
    const draws = [12_345_678, 1, 0, 77_777_777, 20_260_615];
    const r = await rig({ randomInt: () => draws.shift() ?? 99 });
    const s1 = (await r.commit(1)).sale;
    const res = await r.issuer.issue(s1.id, 'offline');
    expect(res.kind === 'issued' && res.row.cnf).toBe('20260615');
  });

  it('without a certificate the sale is blocked with the explanation, never an invalid document', async () => {
    const r = await rig({ cert: null });
    const { sale } = await r.commit(1);
    const res = await r.issuer.issue(sale.id, 'offline');
    expect(res.kind).toBe('blocked');
    expect(res.view?.state).toBe('blocked');
    expect(res.view?.problem?.fix).toMatch(/^emissão offline indisponível: importe o certificado A1/);
    expect(r.journal.emissions.attemptsForSale(sale.id)).toHaveLength(1);
    expect(r.store.peekNext(DEMO_EMITTER.cnpj, 'homologacao', 900)).toBe(1);
    expect(r.printed).toEqual([]);
  });

  it('an expired certificate blocks with its date', async () => {
    const old = makeTestCertificate({ cnpj: DEMO_EMITTER.cnpj, notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() + 60_000) });
    const r = await rig({ cert: old });
    const { sale } = await r.commit(1);
    // Expire it by moving the store's clock is not possible from here: build a store whose now is later.
    const late = new ContingencyIssuer({
      store: r.store,
      certificates: new CertificateStore({ vault: new FileVault(join(r.dir, 'secrets')), now: () => Date.now() + 120_000 }),
      config: () => r.config,
    });
    const res = await late.issue(sale.id, 'offline');
    expect(res.kind).toBe('blocked');
    expect(res.view?.problem?.fix).toMatch(/Certificado vencido em \d\d\/\d\d\/\d{4}/);
  });

  it('SP: blocked with the reason (no tpEmis 9 there)', async () => {
    const r = await rig({ config: { emitter: { ...DEMO_EMITTER, uf: 'SP' } } });
    const { sale } = await r.commit(1);
    const res = await r.issuer.issue(sale.id, 'offline');
    expect(res.kind).toBe('blocked');
    expect(res.view?.problem?.fix).toMatch(/São Paulo/);
  });

  it('refuses a contingency série equal to the normal one', async () => {
    const r = await rig({ config: { serie: '5', contingencySerie: '005' } });
    const { sale } = await r.commit(1);
    const res = await r.issuer.issue(sale.id, 'offline');
    expect(res.kind).toBe('blocked');
    expect(res.view?.problem?.fix).toMatch(/igual à série normal/);
  });

  it('a POST still out (deadline) keeps its state; the block only explains', async () => {
    const r = await rig({ cert: null });
    const { sale, emission } = await r.commit(1);
    r.journal.emissions.transition(emission.id, 'pending', 'sending', { incrementPosts: true });
    const res = await r.issuer.issue(sale.id, 'deadline');
    expect(res.kind).toBe('blocked');
    expect(res.view).toBeNull();
    const row = r.journal.emissions.get(emission.id);
    expect(row?.state).toBe('sending');
    expect(row?.problemTitle).toBe('Emissão offline indisponível');
  });

  it('v2 fallback: QR hash over the CSC matches the published algorithm', async () => {
    const r = await rig({ config: { qrVersion: 2, csc: { id: '000001', csc: 'BALCAO0HOMOLOG0CSC0DEMO0A1B2C3D4E5F6' } } });
    const { sale } = await r.commit(1);
    const res = await r.issuer.issue(sale.id, 'offline');
    if (res.kind !== 'issued') throw new Error('expected issued');
    const p = (res.row.offlineQr as string).split('?p=')[1]!.split('|');
    expect(p[1]).toBe('2');
    expect(p[6]).toBe('1');
    const hash = createHash('sha1')
      .update(p.slice(0, 7).join('|') + 'BALCAO0HOMOLOG0CSC0DEMO0A1B2C3D4E5F6')
      .digest('hex')
      .toUpperCase();
    expect(p[7]).toBe(hash);
  });
});
