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

const customerScreen = location.hash === CUSTOMER_HASH;
if (!customerScreen) {
  installHostPos();
  // The session's one round trip leaves now, while React renders its first frame, not after it.
  if (hasPos()) void useSession.getState().bootstrap();
}
const root = document.getElementById('root');
// The same bundle serves the customer's screen (index.html#cliente): it never touches window.pos.
if (root)
  createRoot(root).render(
    customerScreen ? (
      <Suspense fallback={null}>
        <CustomerDisplay />
      </Suspense>
    ) : (
      <App />
    ),
  );
