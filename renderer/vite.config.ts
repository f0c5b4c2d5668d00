// Builds the cashier UI as static files that both shells serve (Electron app protocol, browser host).
// Relative base: the app protocol and the host serve the bundle from different roots.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Marks the chunks the checkout needs at start (the entry and what it imports statically) with V8's
 * explicit compile hint `//# allFunctionsCalledOnLoad` (Chromium 136+, so Electron and the browser
 * host's Chromium): nearly every function in them runs before the code field is ready, so V8 compiles
 * them eagerly while the file streams in, on a background thread, instead of lazily on the renderer's
 * main thread at first call. The comment must be the file's first line. bench:ui, cold phase, renderer
 * main-thread CPU to ready, medians of 16 loads: 87.5 → 74.7 ms. The lazy chunks stay lazily compiled.
 */
function compileHints(): Plugin {
  return {
    name: 'balcao-compile-hints',
    apply: 'build',
    // On the written files: Vite's own plugins put the preload helper's line at the top of the entry
    // until the very end of generateBundle.
    writeBundle(options, bundle) {
      const startup = new Set<string>();
      const visit = (file: string) => {
        const chunk = bundle[file];
        if (chunk?.type !== 'chunk' || startup.has(file)) return;
        startup.add(file);
        chunk.imports.forEach(visit);
      };
      for (const [file, chunk] of Object.entries(bundle)) if (chunk.type === 'chunk' && chunk.isEntry) visit(file);
      for (const file of startup) {
        const path = join(options.dir ?? '', file);
        writeFileSync(path, `//# allFunctionsCalledOnLoad\n${readFileSync(path, 'utf8')}`);
      }
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), compileHints()],
  // The renderer is React code (written against React's API and @types/react) rendered by Preact's
  // compat layer: react-dom alone was ~190 kB of the 296 kB startup entry, and on the shop's PCs
  // evaluating it kept the cold load to the ready checkout over its 300 ms budget (bench:ui, cold
  // phase: a minimal React 19 app needed 315 ms median before any of our code). preact/compat is
  // ~a tenth of that. Exact-match aliases, so only these four entry points are swapped.
  resolve: {
    alias: [
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: false,
    // The manager's screens are their own chunks (renderer/app/screens.ts). index.html names every
    // chunk the checkout needs (modulepreload), so they are fetched side by side with the entry
    // instead of one after another; Chromium needs no polyfill for it.
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1' },
});
