// Entry point: mounts the app. Under Electron the preload has defined `window.pos`; in the browser
// host this bundle defines it (renderer/host/pos-client.ts) before anything calls it.
import { Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { installHostPos } from './host/pos-client.ts';
import { hasPos } from './pos.ts';
import { useSession } from './state/session.ts';
import { CustomerDisplay } from './app/screens.ts';
import { CUSTOMER_HASH } from './features/customer-display/channel.ts';
import './styles.css';

/**
 * How long the first render waits for the session's answer. index.html already shows "Abrindo o
 * caixa…", painted by the browser while the scripts load; rendering that splash again here, then
 * painting it, sat between the bootstrap's answer and the checkout on every cold load (bench:ui).
 * The answer usually comes in a few ms; past this the app mounts anyway (its splash, its retry).
 */
const FIRST_RENDER_WAIT_MS = 300;

const customerScreen = location.hash === CUSTOMER_HASH;
let booting: Promise<void> | null = null;
if (!customerScreen) {
  installHostPos();
  // The session's one round trip leaves first, before anything else is done on the page.
  if (hasPos()) booting = useSession.getState().bootstrap();
}
let mounted = false;
const mount = () => {
  const root = document.getElementById('root');
  if (mounted || !root) return;
  mounted = true;
  // The static splash goes: the app draws its own screens from here on.
  root.replaceChildren();
  createRoot(root).render(
    // The same bundle serves the customer's screen (index.html#cliente): it never touches window.pos.
    customerScreen ? (
      <Suspense fallback={null}>
        <CustomerDisplay />
      </Suspense>
    ) : (
      <App />
    ),
  );
};
if (booting) {
  void booting.finally(mount);
  setTimeout(mount, FIRST_RENDER_WAIT_MS);
} else mount();
