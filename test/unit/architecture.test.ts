// The house rules of ../shared/architecture.md, checked on every import in the tree:
// shared/ is pure, the renderer only sees shared/, only the shell imports electron,
// and the Focus sandbox is written independently of the client and the engine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(root, dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(relative(root, path)));
    else if (/\.(ts|tsx)$/.test(name)) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  return [...src.matchAll(importRe)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** Resolve a relative specifier to a repo-relative path; bare specifiers stay as they are. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(root, resolve(root, dirname(file), spec)).split(sep).join('/');
}

const SHELL_FILES = new Set(['main/index.ts', 'main/preload.ts']);
const isShell = (f: string) => SHELL_FILES.has(f) || f.startsWith('main/shell/');

describe('dependency rules', () => {
  it('shared/ imports nothing from main, renderer, Node or the DOM', () => {
    const bad: string[] = [];
    for (const f of sourceFiles('shared')) {
      for (const spec of importsOf(f)) {
        const t = target(f, spec);
        const allowed = t.startsWith('shared/') || spec === 'zod';
        if (!allowed) bad.push(`${f} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('renderer/ imports only shared/ and UI libraries', () => {
    const uiLibs = /^(react|react-dom|react-dom\/client|react\/jsx-runtime|zustand|zustand\/.*|zod)$/;
    const bad: string[] = [];
    for (const f of sourceFiles('renderer')) {
      if (f.endsWith('vite.config.ts')) continue;
      for (const spec of importsOf(f)) {
        const t = target(f, spec);
        if (spec.startsWith('.') ? !(t.startsWith('renderer/') || t.startsWith('shared/')) : !uiLibs.test(spec)) {
          bad.push(`${f} → ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('only the shell imports electron', () => {
    const bad = sourceFiles('main')
      .filter((f) => !isShell(f))
      .filter((f) => importsOf(f).some((s) => s === 'electron' || s.startsWith('electron/') || s === 'electron-store'));
    expect(bad).toEqual([]);
  });

  it('the Focus sandbox does not import the client or the emission engine', () => {
    const bad: string[] = [];
    for (const f of sourceFiles('main/sandbox')) {
      for (const spec of importsOf(f)) {
        const t = target(f, spec);
        if (t.startsWith('main/') && !t.startsWith('main/sandbox/')) bad.push(`${f} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
