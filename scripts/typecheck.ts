// `npm run typecheck`: tsc on each folder with its own libraries (shared/ with neither DOM nor Node,
// renderer/ with the DOM, main/ and store/ with Node, the tools with both). Every project is
// incremental: tsc keeps its file hashes and diagnostics in node_modules/.cache/tsc/<project>.tsbuildinfo
// (tsconfig's tsBuildInfoFile), so a change re-checks only what it can affect. On top of that, a tree
// whose sources, configs and lockfile hash the same as at the last clean check is not checked again
// (`tsc -b` cannot do this: it looks only at a project's own folder, not at the shared/ files it
// imports). `--force` checks anyway. A fresh clone has no cache and checks everything.
// The compiler is TypeScript 7, the native one (`typescript-native`, an npm alias of typescript@7):
// the five projects cold take about a fifth of TypeScript 5.9's CPU here (22.8 s against 99.2 s),
// which matters on a fresh clone, where the checks share the two cores with the tests. `typescript`
// 5.9 stays for what needs its JavaScript API: typescript-eslint's type-checked rules (it supports
// TypeScript < 6.1) and knip.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROJECTS: readonly [name: string, dir: string][] = [
  ['shared', 'shared'],
  ['renderer', 'renderer'],
  ['main', 'main'],
  ['store', 'store'],
  ['tools', '.'],
];
/** Everything the five projects read besides node_modules (which package-lock.json stands for). */
const SOURCE_DIRS = ['shared', 'renderer', 'main', 'store', 'test', 'bench', 'scripts', 'eslint'];
const SKIP = new Set(['node_modules', 'dist', 'results', 'artifacts', 'test-results']);

const root = join(import.meta.dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'tsc');
const stampFile = join(cacheDir, 'clean-tree.sha256');

function treeHash(): string {
  const hash = createHash('sha256');
  const add = (path: string, rel: string) => hash.update(`${rel}\0`).update(readFileSync(path)).update('\0');
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) walk(join(dir, e.name), `${rel}/${e.name}`);
      } else if (/\.(tsx?|json)$/.test(e.name)) add(join(dir, e.name), `${rel}/${e.name}`);
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) walk(join(root, d), d);
  for (const e of readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isFile() && /\.(ts|json)$/.test(e.name)) add(join(root, e.name), e.name);
  }
  hash.update(process.version);
  return hash.digest('hex');
}

const t0 = performance.now();
const before = treeHash();
if (!process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === before) {
  console.log('typecheck: ok (nothing changed since the last clean check)');
  process.exit(0);
}
rmSync(stampFile, { force: true });

const tsc = join(root, 'node_modules', 'typescript-native', 'bin', 'tsc');
let failed = 0;
for (const [name, dir] of PROJECTS) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
  console.log(`typecheck ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
// Stamp only a clean check of the tree as it was when it started (an edit during the run re-checks).
if (failed === 0 && treeHash() === before) {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(stampFile, before);
}
console.log(`typecheck: ${failed === 0 ? 'ok' : 'FAILED'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = failed === 0 ? 0 : 1;
