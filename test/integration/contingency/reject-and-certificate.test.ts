// A transmitted contingency note rejected by SEFAZ keeps its numero, série and chave: the manager
// fixes the product and it is resent (never inutilized). And the certificate cases at the counter.
import { afterEach, describe, expect, it } from 'vitest';
import { PRODUCTS } from '../emission/fixtures.ts';
import { makeTestCertificate } from '../../unit/main/contingency/test-certificate.ts';
import { makeContingencyRig, type ContingencyRig } from './rig.ts';

let rig: ContingencyRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('rejection and resend', () => {
  it('a rejected offline note stays put with its fix; after the fix, "enviar agora" resends the same numero and chave', async () => {
    rig = await makeContingencyRig();
    const r = rig;
    const p = PRODUCTS[1]!; // draftFor(1) sells PRODUCTS[1]
    r.catalog.set({ ...p, ncm: '99999999' });
    await r.linkDown('refuse');
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('contingency');
    const issued = r.journal.emissions.latestForSale(s.saleId)!;

    await r.linkUp();
    await r.until(() => r.journal.emissions.get(issued.id)?.problemTitle != null, 20_000, 'rejected');
    let row = r.journal.emissions.get(issued.id)!;
    expect(row.state).toBe('contingency');
    expect(row.statusSefaz).toBe('778');
    expect([row.numero, row.serie, row.chave, row.cnf]).toEqual([issued.numero, issued.serie, issued.chave, issued.cnf]);
    const item = r.contingency.list().find((i) => i.saleId === s.saleId)!;
    expect(item.problem?.title).toMatch(/NCM/);
    expect(item.problem?.fix).toMatch(/Enviar agora/);
    // The drain does not hammer Focus with the same rejected data.
    for (let i = 0; i < 4; i++) await r.contingency.runPass();
    const posts = () => r.sandbox.notes().find((n) => n.ref === issued.ref)?.posts ?? 0;
    expect(posts()).toBe(1);

    // The manager fixes the product and presses "Enviar agora".
    r.catalog.set({ ...p });
    expect(await r.contingency.sendNow()).toEqual({ queued: 1 });
    await r.until(() => r.journal.emissions.get(issued.id)?.state === 'authorized', 20_000, 'authorized after fix');
    row = r.journal.emissions.get(issued.id)!;
    expect([row.numero, row.serie, row.chave]).toEqual([issued.numero, issued.serie, issued.chave]);
    expect(row.problemTitle).toBeNull();
    expect(posts()).toBe(2);
    const note = r.sandbox.notes().find((n) => n.ref === issued.ref)!;
    expect(note.status).toBe('autorizado');
    expect(note.chave).toBe(issued.chave);
    expect(r.sandbox.inutilizacoes()).toEqual([]);
    expect(r.journal.sales.require(s.saleId).items[0]?.ncm).toBe(p.ncm);
  });
});

describe('certificate at the counter', () => {
  it('wrong password and expired are refused with clear messages; importing a valid one issues the parked sale', async () => {
    rig = await makeContingencyRig({ certificate: false });
    const r = rig;
    const good = makeTestCertificate({ cnpj: r.sandbox.cnpj });
    await expect(r.contingency.importCertificate(good.pfx, 'senha errada')).rejects.toMatchObject({
      code: 'wrong_password',
      message: expect.stringMatching(/Senha do certificado incorreta/),
    });
    const expired = makeTestCertificate({ cnpj: r.sandbox.cnpj, notBefore: new Date(Date.UTC(2023, 0, 1)), notAfter: new Date(Date.UTC(2024, 4, 31, 12)) });
    await expect(r.contingency.importCertificate(expired.pfx, expired.password)).rejects.toMatchObject({
      code: 'expired',
      message: expect.stringMatching(/vencido em 31\/05\/2024/),
    });
    expect(await r.contingency.certificateInfo()).toBeNull();

    await r.linkDown('refuse');
    const s = await r.finalize(1);
    expect(s.emission.state).toBe('blocked');

    const info = await r.contingency.importCertificate(good.pfx, good.password);
    expect(info.cnpj).toBe(r.sandbox.cnpj);
    expect(info.warnings).toEqual([]);
    await r.until(() => r.journal.emissions.latestForSale(s.saleId)?.state === 'contingency', 10_000, 'issued after import');
    expect(r.journal.emissions.attemptsForSale(s.saleId).map((a) => a.state)).toEqual(['superseded', 'contingency']);
    expect(r.printed.map((v) => v.saleId)).toEqual([s.saleId]);
  });
});
