import { useEffect, useState } from 'react';
import type { EmailMessageDetails, EmailThreadMethod } from '@touchpoint/shared';
import { api, errorMessage } from '../../api/client';
import type { Envelope, Page } from '../../api/types';
import { fullTime } from '../../lib/format';
import { linkHandler } from '../../router';
import { t } from './messages';

/** Channel kinds by id, read once per page load (agents and above may list channels; others see no email details). */
let channelKinds: Promise<Map<string, string>> | null = null;
function loadChannelKinds(): Promise<Map<string, string>> {
  channelKinds ??= api
    .get<Page<{ id: string; kind: string }>>('/channels', { limit: 100 })
    .then((p) => new Map(p.data.map((c) => [c.id, c.kind])))
    .catch(() => {
      channelKinds = null;
      return new Map<string, string>();
    });
  return channelKinds;
}

/** The kind of each channel of the account (empty until loaded, and for roles that may not list channels). */
export function useChannelKinds(): Map<string, string> {
  const [kinds, setKinds] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    void loadChannelKinds().then((k) => live && setKinds(k));
    return () => {
      live = false;
    };
  }, []);
  return kinds;
}

const THREADED_BY = {
  references: 'threadedByReferences',
  reply_token: 'threadedByReplyToken',
  subject_number: 'threadedBySubjectNumber',
} as const satisfies Record<EmailThreadMethod, Parameters<typeof t>[0]>;

/** The whole sanitised HTML, in a frame that may run nothing and load nothing (sandbox="" and a CSP). */
const frameDoc = (html: string) =>
  `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
  `<style>body{font:14px/1.5 system-ui,sans-serif;margin:8px;overflow-wrap:anywhere}</style>${html}`;

interface Props {
  conversationId: string;
  messageId: string;
  /** Our reply that was not delivered: its reason is shown without opening the details. */
  failed: boolean;
}

/** "Email details" under a mail: headers, threading, the unverified-thread warning, the HTML, and why a reply bounced. */
export function EmailDetails({ conversationId, messageId, failed }: Props) {
  const [open, setOpen] = useState(false);
  const [details, setDetails] = useState<EmailMessageDetails | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open && !failed) return;
    let live = true;
    api
      .get<Envelope<EmailMessageDetails>>(`/conversations/${conversationId}/messages/${messageId}/email`)
      .then((r) => live && setDetails(r.data))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [conversationId, messageId, open, failed]);

  const d = details;
  const reason = d?.deliveryError ?? (d?.bounce ? t('bounced', { reason: d.bounce.subject ?? d.bounce.reason }) : null);
  return (
    <div className="email-details-wrap">
      {failed && reason && (
        <p className="email-failure" role="alert">
          {reason}
        </p>
      )}
      <details className="email-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>{t('emailDetails')}</summary>
        {error && <p className="email-failure">{error}</p>}
        {!d && !error && <p className="muted small">{t('loading')}</p>}
        {d && <DetailsBody d={d} />}
      </details>
    </div>
  );
}

function DetailsBody({ d }: { d: EmailMessageDetails }) {
  const claimed = d.unverifiedThread;
  return (
    <div className="email-details-body" data-testid="email-details">
      {claimed && (
        <p className="email-warning" role="note">
          {t('unverifiedBefore')}{' '}
          <a href={`/inbox/${claimed.conversationId}`} onClick={linkHandler(`/inbox/${claimed.conversationId}`)}>
            {t('unverifiedLink', { n: claimed.number })}
          </a>{' '}
          {t('unverifiedAfter', { method: t(THREADED_BY[claimed.method]) })}
        </p>
      )}
      <dl className="email-fields">
        {d.from && <Field label={t('emailFrom')} value={d.fromName ? `${d.fromName} <${d.from}>` : d.from} />}
        {d.to.length > 0 && <Field label={t('emailTo')} value={d.to.join(', ')} />}
        {d.cc.length > 0 && <Field label={t('emailCc')} value={d.cc.join(', ')} />}
        {d.subject && <Field label={t('emailSubject')} value={d.subject} />}
        {d.date && <Field label={t('emailDate')} value={fullTime(d.date)} />}
        {d.messageId && <Field label={t('emailMessageId')} value={d.messageId} />}
        {d.kind === 'incoming' && (
          <Field
            label={t('emailThreading')}
            value={d.threadedBy ? t('joinedBy', { method: t(THREADED_BY[d.threadedBy]) }) : t('startedConversation')}
          />
        )}
        {d.kind === 'outgoing' && d.deliveryStatus && <Field label={t('emailDelivery')} value={d.deliveryStatus} />}
        {d.deliveryError && <Field label={t('emailDeliveryError')} value={d.deliveryError} />}
        {d.bounce && (
          <Field
            label={t('emailBounce')}
            value={t('bounceValue', {
              time: fullTime(d.bounce.receivedAt),
              from: d.bounce.from ?? t('nullSender'),
              subject: d.bounce.subject ?? t('noSubjectParens'),
              reason: d.bounce.reason,
            })}
          />
        )}
        {d.attachmentsOmitted > 0 && <Field label={t('notKept')} value={t('notKeptValue', { n: d.attachmentsOmitted })} />}
      </dl>
      {d.html && <iframe className="email-html" title={t('htmlFrameTitle')} sandbox="" srcDoc={frameDoc(d.html)} />}
      {d.quoted && (
        <details className="email-quoted">
          <summary>{t('quotedText')}</summary>
          <pre>{d.quoted}</pre>
        </details>
      )}
    </div>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
