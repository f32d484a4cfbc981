import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { customers } from '../../api/endpoints';
import type { Customer, Identity, TimelineItem } from '../../api/types';
import { ActivityIcon, HashIcon, MailIcon, MessageIcon, PhoneIcon, SearchIcon } from '../../components/icons';
import { PossibleDuplicatesCard } from '../../components/merge-suggestions';
import { Avatar, EmptyState, Spinner, StatusBadge } from '../../components/ui';
import { capitalize, customerName, fullTime, relativeTime } from '../../lib/format';
import { linkHandler } from '../../router';

const IDENTITY_LABEL: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  external_id: 'External ID',
  channel_handle: 'Channel handle',
};

export function CustomerDetail({ id }: { id: string }) {
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [identities, setIdentities] = useState<Identity[]>([]);
  const [timeline, setTimeline] = useState<TimelineItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<{ notFound: boolean; text: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    customers
      .get(id)
      .then((res) => {
        if (cancelled) return;
        setCustomer(res.data);
        if (res.data.identities) setIdentities(res.data.identities);
        else
          customers
            .identities(id)
            .then((r) => !cancelled && setIdentities(r.data))
            .catch(() => {});
      })
      .catch(
        (err: unknown) => !cancelled && setError({ notFound: err instanceof ApiError && err.status === 404, text: errorMessage(err) }),
      );
    customers
      .timeline(id)
      .then((res) => {
        if (cancelled) return;
        setTimeline(res.data);
        setCursor(res.page.nextCursor);
      })
      .catch(() => !cancelled && setTimeline([]));
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (error) {
    return (
      <div className="detail-pane">
        <EmptyState icon={<SearchIcon size={22} />} title={error.notFound ? 'Customer not found' : 'Could not load this customer'}>
          {error.notFound ? 'They may have been merged into another profile.' : error.text}
        </EmptyState>
      </div>
    );
  }
  if (!customer) {
    return (
      <div className="detail-pane center">
        <Spinner />
      </div>
    );
  }

  const name = customerName(customer);
  const attributes = Object.entries(customer.attributes ?? {});
  return (
    <div className="detail-pane scroll">
      <div className="profile">
        <header className="profile-header">
          <Avatar name={name} size={56} />
          <div>
            <h2 className="profile-name">
              {name}
              {customer.vip && <span className="badge vip">VIP</span>}
            </h2>
            <div className="profile-sub">
              {[
                customer.segment && capitalize(customer.segment),
                customer.language?.toUpperCase(),
                `Customer since ${new Date(customer.createdAt).toLocaleDateString(undefined, { month: 'short', year: 'numeric' })}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </div>
          </div>
        </header>

        {customer.mergedIntoId && (
          <div className="alert alert-info">
            This profile was merged into another customer.{' '}
            <a href={`/customers/${customer.mergedIntoId}`} onClick={linkHandler(`/customers/${customer.mergedIntoId}`)}>
              Open the surviving profile
            </a>
          </div>
        )}
        <div className="profile-grid">
          <div className="card">
            <h3 className="card-title">Contact</h3>
            <dl className="facts">
              <dt>
                <MailIcon size={14} /> Email
              </dt>
              <dd>{customer.email ?? '—'}</dd>
              <dt>
                <PhoneIcon size={14} /> Phone
              </dt>
              <dd>{customer.phone ?? '—'}</dd>
              <dt>
                <HashIcon size={14} /> External ID
              </dt>
              <dd>{customer.externalId ?? '—'}</dd>
            </dl>
          </div>
          <div className="card">
            <h3 className="card-title">Identities</h3>
            {identities.length === 0 ? (
              <p className="muted small">No identities yet.</p>
            ) : (
              <ul className="identity-list">
                {identities.map((i) => (
                  <li key={i.id}>
                    <span className="identity-kind">{IDENTITY_LABEL[i.kind] ?? i.kind}</span>
                    <span className="identity-value">{i.value}</span>
                    {i.verified && <span className="badge verified">Verified</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {!customer.mergedIntoId && <PossibleDuplicatesCard customerId={customer.id} />}
          {attributes.length > 0 && (
            <div className="card">
              <h3 className="card-title">Attributes</h3>
              <dl className="facts">
                {attributes.map(([k, v]) => (
                  <FactRow key={k} label={k} value={typeof v === 'string' ? v : JSON.stringify(v)} />
                ))}
              </dl>
            </div>
          )}
        </div>

        <h3 className="section-title">Timeline</h3>
        {timeline === null ? (
          <Spinner />
        ) : timeline.length === 0 ? (
          <EmptyState icon={<ActivityIcon size={22} />} title="Nothing here yet">
            Conversations, messages and events for this customer will appear here.
          </EmptyState>
        ) : (
          <ol className="timeline">
            {timeline.map((item, i) => (
              <TimelineRow key={`${item.kind}-${item.id}-${i}`} item={item} />
            ))}
          </ol>
        )}
        {cursor && (
          <div className="load-more">
            <button
              type="button"
              className="button ghost small"
              onClick={() =>
                void customers.timeline(id, cursor).then((res) => {
                  setTimeline((prev) => [...(prev ?? []), ...res.data]);
                  setCursor(res.page.nextCursor);
                })
              }
            >
              Load more
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function FactRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

const EVENT_LABEL: Record<string, string> = {
  'customer.created': 'Customer created',
  'customer.updated': 'Profile updated',
  'customer.identity_added': 'Identity added',
  'customer.merged': 'Profiles merged',
  'conversation.status_changed': 'Status changed',
  'conversation.assigned': 'Assigned',
  'conversation.tags_changed': 'Tags changed',
  'conversation.priority_changed': 'Priority changed',
  'conversation.snoozed': 'Snoozed',
};

/** One timeline entry; every field is rendered as text (React escapes it). */
function TimelineRow({ item }: { item: TimelineItem }) {
  let icon = <ActivityIcon size={14} />;
  let title: string;
  let body: string | null = null;
  let href: string | null = null;
  let status: string | null = null;
  if (item.kind === 'conversation') {
    icon = <MessageIcon size={14} />;
    title = `Conversation #${item.number}${item.subject ? ` · ${item.subject}` : ''}`;
    body = item.lastMessagePreview;
    href = `/inbox/${item.id}`;
    status = item.status;
  } else if (item.kind === 'message') {
    icon = <MessageIcon size={14} />;
    title = item.messageKind === 'incoming' ? 'Customer wrote' : item.messageKind === 'note' ? 'Internal note' : 'Team replied';
    body = item.body;
    href = `/inbox/${item.conversationId}`;
  } else if (item.kind === 'call') {
    title = item.direction === 'outbound' ? `Call to ${item.to ?? 'unknown number'}` : `Call from ${item.from ?? 'unknown number'}`;
    body = [item.status, item.durationSeconds !== null ? `${item.durationSeconds} s` : null, item.queue].filter(Boolean).join(' · ');
    href = item.conversationId ? `/inbox/${item.conversationId}` : null;
  } else {
    title = EVENT_LABEL[item.type] ?? capitalize(item.type.replace(/[._]/g, ' '));
    href = item.conversationId ? `/inbox/${item.conversationId}` : null;
  }
  return (
    <li className={`timeline-item kind-${item.kind}`}>
      <span className="timeline-icon">{icon}</span>
      <div className="timeline-main">
        <div className="timeline-top">
          {href ? (
            <a href={href} onClick={linkHandler(href)} className="timeline-title">
              {title}
            </a>
          ) : (
            <span className="timeline-title">{title}</span>
          )}
          {status && <StatusBadge status={status} />}
          <time className="timeline-time" dateTime={item.at} title={fullTime(item.at)}>
            {relativeTime(item.at)}
          </time>
        </div>
        {body && <div className="timeline-body">{body}</div>}
      </div>
    </li>
  );
}
