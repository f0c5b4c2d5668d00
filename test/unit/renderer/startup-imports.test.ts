// The checkout's startup bundle must not evaluate zod: its schemas cost the cold load a large share of
// its script time (bench:ui). This walks the static import graph from the renderer's entry (type-only
// imports and dynamic import() chunks left out, as the bundler does) and fails on any module there
// that imports zod, naming the chain that pulled it in.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const ENTRY = join(ROOT, 'renderer', 'main.tsx');

/** Value imports and re-exports of a module (import type / export type are erased by the compiler). */
function staticImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)'/gms;
  for (const m of source.matchAll(re)) {
    if (m[2]) continue;
    // `import { type A, type B } from` is erased too.
    const braces = /^\{([^}]*)\}$/.exec(m[3]!.trim());
    const items = braces
      ? braces[1]!
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : null;
    if (items && items.length > 0 && items.every((x) => x.startsWith('type '))) continue;
    out.push(m[4]!);
  }
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

function zodChains(): string[][] {
  const seen = new Map<string, string | null>([[ENTRY, null]]);
  const queue = [ENTRY];
  const found: string[][] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec === 'zod' || spec.startsWith('zod/')) {
        const chain = [file];
        for (let p = seen.get(file); p; p = seen.get(p)) chain.unshift(p);
        found.push(chain.map((f) => f.slice(ROOT.length + 1)));
        continue;
      }
      if (!spec.startsWith('.') || !/\.tsx?$/.test(spec)) continue;
      const next = resolve(dirname(file), spec);
      if (seen.has(next)) continue;
      seen.set(next, file);
      queue.push(next);
    }
  }
  return found;
}

describe("the checkout's startup bundle", () => {
  it('imports no zod (schemas stay in main and in the lazily loaded screens)', () => {
    expect(zodChains()).toEqual([]);
  });
});
