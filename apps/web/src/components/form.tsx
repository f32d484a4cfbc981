import {
  cloneElement,
  isValidElement,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactElement,
  type ReactNode,
  type RefObject,
} from 'react';
import { errorMessage } from '../api/client';
import { defineMessages } from '../i18n';
import { Dialog } from './dialog';
import './form.css';

const t = defineMessages('components.form', {
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Select the text and copy it',
  cancel: 'Cancel',
});

/**
 * Small form building blocks shared by the settings screens (and anyone else): a labelled field, a switch, a
 * copy-to-clipboard button and a confirmation dialog. Keep the signatures stable; other screens import them.
 */

type ControlProps = {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
};

/**
 * A label, one control, and a hint or an error under it. The label is tied to the control by id, and the
 * hint/error by aria-describedby, so screen readers announce them with the field.
 */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: ReactNode;
}) {
  const autoId = useId();
  const child = isValidElement<ControlProps>(children) ? (children as ReactElement<ControlProps>) : null;
  const id = child?.props.id ?? `field-${autoId}`;
  const noteId = `${id}-note`;
  const note = error || hint;
  const control = child
    ? cloneElement(child, {
        id,
        'aria-describedby': [child.props['aria-describedby'], note ? noteId : undefined].filter(Boolean).join(' ') || undefined,
        'aria-invalid': error ? true : child.props['aria-invalid'],
      })
    : children;
  return (
    <div className={error ? 'tp-field has-error' : 'tp-field'}>
      <label className="tp-field-label" htmlFor={id}>
        {label}
      </label>
      {control}
      {error ? (
        <span id={noteId} className="form-error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span id={noteId} className="form-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** An on/off switch (a checkbox with role="switch"): the whole label is the click target; Space toggles it. */
export function Toggle({
  checked,
  onChange,
  label,
  disabled,
  hint,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  disabled?: boolean;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="tp-toggle-row">
      <label className={disabled ? 'tp-toggle disabled' : 'tp-toggle'}>
        <input
          type="checkbox"
          role="switch"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span className="tp-toggle-track" aria-hidden="true">
          <span className="tp-toggle-thumb" />
        </span>
        <span className="tp-toggle-label">{label}</span>
      </label>
      {hint && (
        <span id={`${id}-hint`} className="form-hint tp-toggle-hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/** Copies `text` with the Clipboard API (falling back to a hidden textarea) and says "Copied" for a moment. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  async function copy() {
    try {
      if (navigator.clipboard?.writeText) await navigator.clipboard.writeText(text);
      else if (!legacyCopy(text)) throw new Error('copy failed');
      setState('copied');
    } catch {
      setState(legacyCopy(text) ? 'copied' : 'failed');
    }
  }
  return (
    <button type="button" className="button small tp-copy" onClick={() => void copy()}>
      <span aria-live="polite">{state === 'copied' ? t('copied') : state === 'failed' ? t('copyFailed') : (label ?? t('copy'))}</span>
    </button>
  );
}

function legacyCopy(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/**
 * "Are you sure?" in a modal. `onConfirm` may return a promise: the dialog shows progress, closes when it
 * resolves (the caller's onClose) and shows the error in place when it rejects. Focus starts on Cancel.
 */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  tone,
  onConfirm,
  onClose,
}: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  tone?: 'danger';
  onConfirm: () => unknown;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useAutoFocus<HTMLButtonElement>();
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button ref={cancelRef} type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button
            type="button"
            className={tone === 'danger' ? 'button tp-danger' : 'button primary'}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <div className="tp-confirm-body">{body}</div>
      {error && (
        <div className="alert alert-error tp-confirm-error" role="alert">
          {error}
        </div>
      )}
    </Dialog>
  );
}

/**
 * A ref that gets focus once mounted. Inside a <Dialog>, the dialog opens (showModal) in its own effect, which
 * runs before the effects of the component rendering it, so this focus wins over the browser's default.
 */
export function useAutoFocus<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/**
 * A dialog around one form: Cancel and a submit button in the footer (showing `pendingLabel` while the request
 * runs), and a readable error banner above the fields. The settings dialogs all have this shape.
 */
export function FormDialog({
  title,
  formId,
  submitLabel,
  pendingLabel,
  pending,
  banner,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  formId: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  banner?: ReactNode;
  onSubmit(e: FormEvent): void;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" form={formId} className="button primary" disabled={pending}>
            {pending ? pendingLabel : submitLabel}
          </button>
        </>
      }
    >
      <form id={formId} className="form-grid" onSubmit={onSubmit} noValidate>
        {banner && (
          <div className="alert alert-error" role="alert">
            {banner}
          </div>
        )}
        {children}
      </form>
    </Dialog>
  );
}
