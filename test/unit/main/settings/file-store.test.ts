import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastGoodPath, openFileStore } from '../../../../main/settings/file-store.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'balcao-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('settings file store', () => {
  it('writes the file and its last-good twin, owner-only', () => {
    const dir = tmp();
    const s = openFileStore(dir, 'settings');
    expect(s.opened).toBe('fresh');
    s.set('operators', [{ id: 'ana' }]);
    const path = join(dir, 'settings.json');
    expect(JSON.parse(readFileSync(lastGoodPath(path), 'utf8'))).toEqual({ operators: [{ id: 'ana' }] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(lastGoodPath(path)).mode & 0o777).toBe(0o600);
  });

  it('restores the last-good copy over a damaged file and keeps the damaged one aside', () => {
    const dir = tmp();
    openFileStore(dir, 'settings').set('operators', [{ id: 'ana' }]);
    writeFileSync(join(dir, 'settings.json'), '{"operators": [{"id": "an');
    const s = openFileStore(dir, 'settings');
    expect(s.opened).toBe('restored');
    expect(s.get('operators')).toEqual([{ id: 'ana' }]);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ operators: [{ id: 'ana' }] });
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.damaged-'))).toBe(true);
  });

  it('never silently empties: both copies damaged throws in Portuguese, or opens for recovery', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'settings.json'), 'lixo');
    writeFileSync(join(dir, 'settings.last-good.json'), 'lixo também');
    expect(() => openFileStore(dir, 'settings')).toThrow(expect.objectContaining({ code: 'settings_damaged' }));
    const s = openFileStore(dir, 'settings', { damaged: 'recover' });
    expect(s.opened).toBe('damaged');
    expect(s.get('operators')).toBeUndefined();
    // Nothing is touched until the manager starts over (the first write).
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('lixo');
    s.set('settings', { mode: 'unset' });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ settings: { mode: 'unset' } });
    expect(readdirSync(dir).filter((f) => f.includes('.damaged-')).length).toBe(2);
    expect(existsSync(lastGoodPath(join(dir, 'settings.json')))).toBe(true);
  });
});
