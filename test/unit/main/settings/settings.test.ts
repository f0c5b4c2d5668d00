import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZodError } from 'zod';
import { openFileStore } from '../../../../main/settings/file-store.ts';
import { SettingsService } from '../../../../main/settings/settings.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'balcao-settings-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SettingsService over conf', () => {
  it('starts with the documented defaults and a random terminal id', () => {
    const s = new SettingsService(openFileStore(tmp(), 'settings')).get();
    expect(s).toMatchObject({
      environment: 'homologacao',
      serie: '1',
      contingencySerie: '900',
      authorizationDeadlineMs: 15_000,
      qrVersion: 2,
      scaleLabel: 'price',
      certificate: null,
    });
    expect(s.printer.kind).toBe('none');
    expect(s.terminalId).toMatch(/^T[0-9A-F]{8}$/);
    const other = new SettingsService(openFileStore(tmp(), 'settings')).get();
    expect(other.terminalId).not.toBe(s.terminalId);
  });

  it('persists updates across reopen, in an owner-only file', () => {
    const dir = tmp();
    const a = new SettingsService(openFileStore(dir, 'settings'));
    const id = a.get().terminalId;
    a.update({ serie: '2', discountLimitBp: 500 });
    const b = new SettingsService(openFileStore(dir, 'settings')).get();
    expect(b.serie).toBe('2');
    expect(b.discountLimitBp).toBe(500);
    expect(b.terminalId).toBe(id);
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses an invalid patch and leaves the file as it was', () => {
    const dir = tmp();
    const svc = new SettingsService(openFileStore(dir, 'settings'));
    svc.update({ serie: '3' });
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    expect(() => svc.update({ serie: 'abc' })).toThrow(ZodError);
    expect(() => svc.update({ authorizationDeadlineMs: 10 })).toThrow(ZodError);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(svc.get().serie).toBe('3');
  });

  it('keeps valid fields of a hand-damaged file and defaults the broken ones', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ settings: { serie: '7', qrVersion: 9, environment: 'marte' } }));
    const s = new SettingsService(openFileStore(dir, 'settings')).get();
    expect(s.serie).toBe('7');
    expect(s.qrVersion).toBe(2);
    expect(s.environment).toBe('homologacao');
  });

  it('notifies listeners on change', () => {
    const svc = new SettingsService(openFileStore(tmp(), 'settings'));
    const seen: string[] = [];
    svc.onChange((s) => seen.push(s.serie));
    svc.update({ serie: '5' });
    expect(seen).toEqual(['5']);
  });
});
