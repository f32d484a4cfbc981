import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import './toast.css';

/** A button in a toast ("Undo"): runs once and dismisses the toast. */
export interface ToastAction {
  label: string;
  onClick(): void;
}
export interface ToastOptions {
  action?: ToastAction;
  /** How long the toast stays (default 5 s). */
  durationMs?: number;
}

type Toast = { id: number; text: string; tone: 'error' | 'info'; action?: ToastAction };
type Push = (text: string, tone?: Toast['tone'], opts?: ToastOptions) => void;
const ToastContext = createContext<Push>(() => {});

let nextId = 1;

/** Small transient notices for actions that fail away from a form (status change, assignment, tags), or can be undone. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback<Push>(
    (text, tone = 'error', opts = {}) => {
      const id = nextId++;
      setToasts((t) => [...t.slice(-2), { id, text, tone, action: opts.action }]);
      setTimeout(() => dismiss(id), opts.durationMs ?? 5000);
    },
    [dismiss],
  );
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}${t.action ? ' with-action' : ''}`}>
            <span>{t.text}</span>
            {t.action && (
              <button
                type="button"
                className="toast-action"
                onClick={() => {
                  dismiss(t.id);
                  t.action!.onClick();
                }}
              >
                {t.action.label}
              </button>
            )}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
