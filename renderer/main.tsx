// Entry point: mounts the app. Under Electron the preload has defined `window.pos`; in the browser
// host this bundle defines it (renderer/host/pos-client.ts) before anything calls it.
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { installHostPos } from './host/pos-client.ts';
import './styles.css';

installHostPos();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
