// `npm run typecheck`: tsc on each folder with its own libraries (shared/ with neither DOM nor Node,
// renderer/ with the DOM, main/ and store/ with Node, the tools with both), in one `tsc -b` process.
// Each project is incremental: tsc keeps its file hashes and diagnostics in
// node_modules/.cache/tsc/<project>.tsbuildinfo (tsconfig's tsBuildInfoFile), so an unchanged tree
// is "up to date" in a fraction of a second and a change re-checks only what it can affect. tsc -b
// watches the projects' sources, not node_modules: when the installed packages change
// (package-lock.json) the check is forced once. A fresh clone has no cache and checks everything.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROJECTS = ['shared', 'renderer', 'main', 'store', '.'];

const root = join(import.meta.dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'tsc');
const stampFile = join(cacheDir, 'installed.sha256');
const lock = join(root, 'package-lock.json');
const stamp = createHash('sha256')
  .update(existsSync(lock) ? readFileSync(lock) : '')
  .digest('hex');
const force = process.argv.includes('--force') || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp;

const t0 = performance.now();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-b', ...(force ? ['--force'] : []), ...PROJECTS], { cwd: root, stdio: 'inherit' });
mkdirSync(cacheDir, { recursive: true });
writeFileSync(stampFile, stamp);
const ok = r.status === 0;
console.log(`typecheck (${PROJECTS.join(', ')}${force ? ', forced' : ''}): ${ok ? 'ok' : 'FAILED'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = ok ? 0 : 1;
