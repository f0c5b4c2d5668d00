// Bundles the Electron main process (ESM) and the preload (CJS: a sandboxed preload cannot be an
// ES module and can only require 'electron') into dist/main.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'main');

const common = {
  bundle: true,
  sourcemap: false,
  minify: false,
  legalComments: 'none' as const,
  logLevel: 'info' as const,
  external: ['electron'],
};

await build({
  ...common,
  entryPoints: [join(root, 'main', 'index.ts')],
  outfile: join(out, 'index.js'),
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Bundled CommonJS dependencies call require() for Node built-ins; give them one in ESM.
  banner: { js: "import { createRequire as __balcaoRequire } from 'node:module'; const require = __balcaoRequire(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: [join(root, 'main', 'preload.ts')],
  outfile: join(out, 'preload.cjs'),
  platform: 'browser',
  format: 'cjs',
  target: 'chrome140',
});
