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
