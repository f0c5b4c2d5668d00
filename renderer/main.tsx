// Entry point: mounts the app. `window.pos` is already there (preload or browser host).
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './styles.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
