import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ToastProvider } from './components/toast';
import { SessionProvider } from './session';
import './styles/base.css';
import './styles/shell.css';
import './styles/lists.css';
import './styles/conversation.css';
import './styles/attachments.css';
import './styles/customers.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <ToastProvider>
        <App />
      </ToastProvider>
    </SessionProvider>
  </StrictMode>,
);
