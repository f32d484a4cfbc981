import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { mergeSuggestions, type MergeSuggestion } from '../api/customer-links';
import type { Page, RealtimeEvent } from '../api/types';
import { abilitiesFor } from '../hooks/useAbilities';
import { useRealtime } from '../hooks/useRealtime';
import { customerName, fullTime, relativeTime } from '../lib/format';
import { linkHandler, navigate } from '../router';
import { useMe } from '../session';
import { ConfirmDialog } from './form';
import { UsersIcon } from './icons';
import { useToast } from './toast';
import { Avatar, EmptyState, Spinner } from './ui';

const KIND_LABEL: Record<string, string> = { email: 'email', phone: 'phone', external_id: 'external ID', channel_handle: 'handle' };

/** Where the evidence came from, in words an agent knows. */
export function sourceLabel(source: string): string {
  if (source === 'webchat.prechat') return 'web chat pre-chat form';
  if (source === 'webchat.offline_form') return 'web chat offline form';
  if (source.startsWith('resolve:')) return 'an inbound message';
  return source;
}

const REFRESH_ON = new Set(['customer.merge_suggested', 'customer.merged']);

/** How long a merge can be undone before it is sent (Gmail's "Undo send"). */
export const UNDO_MS = 8_000;

const deferred = new Set<() => void>();
function warnOnLeave(e: BeforeUnloadEvent) {
  e.preventDefault();
}
function syncLeaveWarning() {
  if (deferred.size > 0) window.addEventListener('beforeunload', warnOnLeave);
  else window.removeEventListener('beforeunload', warnOnLeave);
}

/**
 * Runs `run` after `delayMs` unless undone first. The timer lives outside any component, so leaving the screen does
 * not cancel a confirmed action; leaving the page while one waits asks the browser to confirm.
 */
export function deferWithUndo(run: () => void, delayMs = UNDO_MS): { undo(): boolean } {
  let settled = false;
  const fire = () => {
    if (settled) return;
    settled = true;
    deferred.delete(fire);
    syncLeaveWarning();
    run();
  };
  const timer = setTimeout(fire, delayMs);
  deferred.add(fire);
  syncLeaveWarning();
  return {
    undo() {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      deferred.delete(fire);
      syncLeaveWarning();
      return true;
    },
  };
}

/** A list of suggestions that follows the account's realtime events (new suggestions, merges elsewhere). */
export function useSuggestions(load: (cursor?: string) => Promise<Page<MergeSuggestion>>, key: string) {
  // `key` names what `load` loads, so a new closure for the same list does not refetch.
  const me = useMe();
  const [page, setPage] = useState<Page<MergeSuggestion> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loader = useRef(load);
  useLayoutEffect(() => {
    loader.current = load;
  });
  const reload = useCallback(() => {
    void key; // a new list when the key changes
    loader
      .current()
      .then((p) => {
        setPage(p);
        setError(null);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [key]);
  useEffect(reload, [reload]);
  const onEvent = useCallback((e: RealtimeEvent) => REFRESH_ON.has(e.type) && reload(), [reload]);
  useRealtime([`account:${me.account.id}`], onEvent, reload);
  const more = page?.page.nextCursor
    ? () =>
        void load(page.page.nextCursor!)
          .then((p) =>
            setPage((prev) =>
              prev ? { ...p, data: [...prev.data, ...p.data], policies: [...(prev.policies ?? []), ...(p.policies ?? [])] } : p,
            ),
          )
          .catch((err: unknown) => setError(errorMessage(err)))
    : null;
  return { page, error, reload, more };
}

function ProfileChoice({
  s,
  which,
  checked,
  onPick,
}: {
  s: MergeSuggestion;
  which: 'customer' | 'candidate';
  checked: boolean;
  onPick(): void;
}) {
  const p = s[which];
  const name = customerName(p);
  const href = `/customers/${p.id}`;
  return (
    <label className={checked ? 'dup-profile chosen' : 'dup-profile'}>
      <input type="radio" name={`survivor-${s.id}`} checked={checked} onChange={onPick} aria-label={`Keep ${name}`} />
      <Avatar name={name} size={28} />
      <span className="dup-profile-text">
        <a href={href} onClick={linkHandler(href)} className="dup-profile-name">
          {name}
        </a>
        <span className="muted small truncate">
          {[p.email, p.phone].filter(Boolean).join(' · ') || 'No contact details'} · since {relativeTime(p.createdAt)}
        </span>
      </span>
    </label>
  );
}

/**
 * One suggested pair: why (the shared identity and its source), which profile survives (the one that already
 * had the identity, unless the agent picks the other), and Merge / Dismiss for those allowed to merge.
 */
export function SuggestionItem({
  s,
  canDecide,
  onDecided,
}: {
  s: MergeSuggestion;
  canDecide: boolean;
  onDecided(merged: MergeSuggestion | null): void;
}) {
  const toast = useToast();
  const [survivor, setSurvivor] = useState<'customer' | 'candidate'>('candidate');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [scheduled, setScheduled] = useState<{ undo(): boolean } | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);
  const act = (run: () => Promise<{ data: MergeSuggestion }>, done: string) => {
    setBusy(true);
    run()
      .then((res) => {
        toast(done, 'info');
        if (mounted.current) onDecided(res.data);
      })
      .catch((err: unknown) => {
        // Someone else decided first: the list is stale, not the action wrong.
        if (err instanceof ApiError && err.status === 409) {
          toast('Another teammate already decided this suggestion.', 'info');
          if (mounted.current) onDecided(null);
        } else toast(errorMessage(err));
      })
      .finally(() => {
        if (!mounted.current) return;
        setBusy(false);
        setScheduled(null);
      });
  };
  const kept = s[survivor];
  const gone = s[survivor === 'customer' ? 'candidate' : 'customer'];
  /** Confirmed: the merge waits UNDO_MS with an Undo button (in the toast and here), then is sent. */
  const scheduleMerge = () => {
    const target = kept;
    const handle = deferWithUndo(() => act(() => mergeSuggestions.merge(s.id, target.id), `Merged into ${customerName(target)}`));
    setScheduled(handle);
    const undo = () => {
      if (handle.undo()) {
        toast('Merge cancelled', 'info');
        if (mounted.current) setScheduled(null);
      }
    };
    toast(`Merging into ${customerName(target)}…`, 'info', { action: { label: 'Undo', onClick: undo }, durationMs: UNDO_MS });
  };
  return (
    <li className={scheduled ? 'dup-item merging' : 'dup-item'}>
      <ul className="dup-reasons">
        {s.reasons.map((r, i) => (
          <li key={`${r.kind}-${r.value}-${r.source}-${i}`} title={fullTime(r.at)}>
            Same {KIND_LABEL[r.kind] ?? r.kind} <span className="identity-value">{r.value}</span>
            <span className="muted"> · from {sourceLabel(r.source)}</span>
          </li>
        ))}
      </ul>
      <div className="dup-profiles" role="radiogroup" aria-label="Profile to keep">
        <ProfileChoice s={s} which="candidate" checked={survivor === 'candidate'} onPick={() => setSurvivor('candidate')} />
        <ProfileChoice s={s} which="customer" checked={survivor === 'customer'} onPick={() => setSurvivor('customer')} />
      </div>
      <div className="dup-actions">
        {scheduled ? (
          <>
            <span className="small" role="status">
              Merging into {customerName(kept)}…
            </span>
            <button
              type="button"
              className="button small"
              onClick={() => {
                if (scheduled.undo()) {
                  toast('Merge cancelled', 'info');
                  setScheduled(null);
                }
              }}
            >
              Undo
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="button primary small"
              disabled={!canDecide || busy}
              title={canDecide ? undefined : 'Supervisors and admins can merge profiles'}
              onClick={() => setConfirming(true)}
            >
              Merge, keep {customerName(kept)}
            </button>
            <button
              type="button"
              className="button ghost small"
              disabled={!canDecide || busy}
              onClick={() => act(() => mergeSuggestions.dismiss(s.id), 'Marked as different people')}
            >
              Dismiss
            </button>
          </>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Merge these profiles?"
          confirmLabel={`Merge into ${customerName(kept)}`}
          tone="danger"
          body={
            <p>
              {customerName(gone)}’s conversations, identities and details move to {customerName(kept)}, and the profile{' '}
              {customerName(gone)} is closed. You can undo for {UNDO_MS / 1000} seconds after confirming.
            </p>
          }
          onConfirm={scheduleMerge}
          onClose={() => setConfirming(false)}
        />
      )}
    </li>
  );
}

/** The "Possible duplicates" card of a customer profile. */
export function PossibleDuplicatesCard({ customerId }: { customerId: string }) {
  const { page, error, reload } = useSuggestions(() => mergeSuggestions.ofCustomer(customerId), customerId);
  return (
    <div className="card dup-card">
      <h3 className="card-title">Possible duplicates</h3>
      {error ? (
        <p className="muted small">{error}</p>
      ) : !page ? (
        <Spinner />
      ) : page.data.length === 0 ? (
        <p className="muted small">No other profile shares an email, phone or ID with this one.</p>
      ) : (
        <ul className="dup-list">
          {page.data.map((s) => (
            <SuggestionItem
              key={s.id}
              s={s}
              canDecide={abilitiesFor(page.policies, s.id)?.merge === true}
              onDecided={(done) => {
                // This profile was merged away: follow it to the survivor.
                const gone = done?.status === 'merged' && [done.customer, done.candidate].find((p) => p.id === customerId)?.mergedIntoId;
                if (gone) navigate(`/customers/${gone}`);
                else reload();
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Every open suggestion of the account, for the customers page. */
export function DuplicatesList() {
  const { page, error, reload, more } = useSuggestions((cursor) => mergeSuggestions.list(cursor), 'all');
  if (error) return <div className="alert alert-error inset">{error}</div>;
  if (!page) return <Spinner />;
  if (page.data.length === 0) {
    return (
      <EmptyState icon={<UsersIcon size={22} />} title="No possible duplicates">
        When two profiles share an email, phone or ID (say a chat visitor types a known customer’s email), they are listed here to merge or
        dismiss.
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="dup-list">
        {page.data.map((s) => (
          <SuggestionItem key={s.id} s={s} canDecide={abilitiesFor(page.policies, s.id)?.merge === true} onDecided={reload} />
        ))}
      </ul>
      {more && (
        <div className="load-more">
          <button type="button" className="button ghost small" onClick={more}>
            Load more
          </button>
        </div>
      )}
    </>
  );
}

/** In the inbox details panel: a badge when the conversation's customer may have a duplicate, with Merge / Dismiss. */
export function DuplicateNotice({ customerId }: { customerId: string }) {
  const { page, reload } = useSuggestions(() => mergeSuggestions.ofCustomer(customerId), customerId);
  const [open, setOpen] = useState(false);
  if (!page || page.data.length === 0) return null;
  const n = page.data.length;
  return (
    <div className="dup-notice">
      <button type="button" className="badge dup-badge" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {n === 1 ? 'Possible duplicate' : `${n} possible duplicates`}
      </button>
      {open && (
        <ul className="dup-list compact">
          {page.data.map((s) => (
            <SuggestionItem key={s.id} s={s} canDecide={abilitiesFor(page.policies, s.id)?.merge === true} onDecided={reload} />
          ))}
        </ul>
      )}
    </div>
  );
}
