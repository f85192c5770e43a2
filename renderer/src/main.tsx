import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config } from 'zod';
import { App } from './components/App.tsx';
import { start } from './stores/sync.ts';
import { applyTheme, useUi } from './stores/ui.ts';
import './styles.css';

// The page runs under a CSP without 'unsafe-eval'; keep zod from probing for eval-based JIT.
config({ jitless: true });

applyTheme(useUi.getState().theme);
start();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
