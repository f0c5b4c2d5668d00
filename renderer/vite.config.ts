// Builds the cashier UI as static files that both shells serve (Electron app protocol, browser host).
// Relative base: the app protocol and the host serve the bundle from different roots.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
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
