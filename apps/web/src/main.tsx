import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ToastProvider } from './components/toast';
import { queryClient } from './query-client';
import { router } from './routes';
import { SessionProvider } from './session';
import './styles/base.css';
import './styles/shell.css';
import './styles/lists.css';
import './styles/conversation.css';
import './styles/attachments.css';
import './styles/customers.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
