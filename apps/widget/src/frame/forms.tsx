import type { PrechatFieldMode, WidgetConfig } from '@touchpoint/shared';
import { useState } from 'preact/hooks';

type Prechat = WidgetConfig['prechat'];

function Field(props: { label: string; type: string; mode: PrechatFieldMode | 'required'; value: string; onInput(v: string): void }) {
  if (props.mode === 'off') return null;
  return (
    <label class="field">
      <span>
        {props.label}
        {props.mode === 'optional' && <em> (optional)</em>}
      </span>
      <input
        type={props.type}
        required={props.mode === 'required'}
        maxLength={props.type === 'email' ? 320 : 200}
        value={props.value}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

/** Runs a submit, showing the server's reason (a 422's field message) when it fails. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (e: Event, work: () => Promise<void>) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (err) {
      setError(err instanceof Error && err.message && !err.message.startsWith('HTTP') ? err.message : 'Something went wrong, try again');
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Asked once, before an anonymous visitor's first message, when the channel enables it. */
export function PrechatForm({ prechat, onSubmit }: { prechat: Prechat; onSubmit(v: { name?: string; email?: string }): Promise<void> }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const { busy, error, run } = useSubmit();
  return (
    <form
      class="card-form"
      data-testid="prechat"
      onSubmit={(e) => run(e, () => onSubmit({ name: name.trim() || undefined, email: email.trim() || undefined }))}
    >
      <p>{prechat.intro ?? 'Before we start, tell us who you are.'}</p>
      <Field label="Name" type="text" mode={prechat.fields.name} value={name} onInput={setName} />
      <Field label="Email" type="email" mode={prechat.fields.email} value={email} onInput={setEmail} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Start chat
      </button>
    </form>
  );
}

/** Nobody is available: a message and the email to answer it at. */
export function OfflineForm({ onSubmit }: { onSubmit(v: { email: string; body: string }): Promise<void> }) {
  const [email, setEmail] = useState('');
  const [body, setBody] = useState('');
  const { busy, error, run } = useSubmit();
  return (
    <form class="card-form" data-testid="offline" onSubmit={(e) => run(e, () => onSubmit({ email: email.trim(), body: body.trim() }))}>
      <p>
        <strong>We're away</strong> — leave your email and we'll reply by email.
      </p>
      <Field label="Email" type="email" mode="required" value={email} onInput={setEmail} />
      <label class="field">
        <span>Message</span>
        <textarea required rows={4} maxLength={5000} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Send
      </button>
    </form>
  );
}
