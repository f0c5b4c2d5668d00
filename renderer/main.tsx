// Entry point: mounts the app. `window.pos` is already there (preload or browser host).
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { CustomerDisplay } from './features/customer-display/CustomerDisplay.tsx';
import { CUSTOMER_HASH } from './features/customer-display/channel.ts';
import './styles.css';

const root = document.getElementById('root');
// The same bundle serves the customer's screen (index.html#cliente): it never touches window.pos.
if (root) createRoot(root).render(location.hash === CUSTOMER_HASH ? <CustomerDisplay /> : <App />);
