import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import type { CustomerNote } from '../../api/customer-links';
import { ConfirmDialog } from '../../components/form';
import { XIcon } from '../../components/icons';
import { Spinner } from '../../components/ui';
import { abilitiesFor } from '../../hooks/useAbilities';
import { fullTime, relativeTime } from '../../lib/format';
import { useMe } from '../../session';
import { t } from './messages';
import { useAddNote, useDeleteNote, useNotes, useUserNames } from './queries';

const MAX_NOTE = 10_000;

/** Internal notes about the customer (never shown to them): write one, read the latest, delete your own. */
export function NotesCard({ customerId, canAdd }: { customerId: string; canAdd: boolean }) {
  const { query, notes, policies } = useNotes(customerId);
  const names = useUserNames();
  const me = useMe();
  const [deleting, setDeleting] = useState<CustomerNote | null>(null);
  const del = useDeleteNote(customerId);
  const authorOf = (n: CustomerNote) =>
    n.authorUserId === me.user.id ? t('you') : n.authorUserId ? (names.get(n.authorUserId) ?? t('teammate')) : t('integration');

  return (
    <section className="card c360-notes" aria-labelledby="c360-notes-title">
      <div className="card-head">
        <h3 className="card-title" id="c360-notes-title">
          {t('notes')}
        </h3>
      </div>
      {canAdd && <NoteComposer customerId={customerId} />}
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <p className="muted small" role="alert">
          {errorMessage(query.error)}
        </p>
      ) : notes.length === 0 ? (
        <p className="muted small">{t('noNotes')}</p>
      ) : (
        <ul className="note-list">
          {notes.map((n) => (
            <li key={n.id} className="note-item">
              <div className="note-meta">
                <span className="note-author">{authorOf(n)}</span>
                <time dateTime={n.createdAt} title={fullTime(n.createdAt)}>
                  {relativeTime(n.createdAt)}
                </time>
                {abilitiesFor(policies, n.id)?.delete && (
                  <button
                    type="button"
                    className="icon-button note-delete"
                    aria-label={t('deleteNote')}
                    title={t('deleteNote')}
                    onClick={() => setDeleting(n)}
                  >
                    <XIcon size={13} />
                  </button>
                )}
              </div>
              <p className="note-body">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <button type="button" className="link-button small" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? t('loading') : t('olderNotes')}
        </button>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('deleteNoteTitle')}
          body={<p className="note-body">{deleting.body.length > 200 ? `${deleting.body.slice(0, 200)}…` : deleting.body}</p>}
          confirmLabel={t('delete')}
          tone="danger"
          onConfirm={() => del.mutateAsync(deleting.id)}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

function NoteComposer({ customerId }: { customerId: string }) {
  const [body, setBody] = useState('');
  const add = useAddNote(customerId);
  const err = add.error;
  const message = err instanceof ApiError ? (err.fieldError('body') ?? errorMessage(err)) : err ? errorMessage(err) : null;

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!body.trim() || add.isPending) return;
    add.mutate(body, { onSuccess: () => setBody('') });
  }

  return (
    <form className="note-composer" onSubmit={submit}>
      <textarea
        aria-label={t('noteLabel')}
        placeholder={t('notePlaceholder')}
        value={body}
        maxLength={MAX_NOTE}
        rows={2}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? 'note-error' : 'note-hint'}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit();
        }}
      />
      <div className="note-actions">
        {message ? (
          <span id="note-error" className="form-error" role="alert">
            {message}
          </span>
        ) : (
          <span id="note-hint" className="muted small">
            {t('noteHint')}
          </span>
        )}
        <button type="submit" className="button note-button small" disabled={!body.trim() || add.isPending}>
          {add.isPending ? t('saving') : t('addNote')}
        </button>
      </div>
    </form>
  );
}
