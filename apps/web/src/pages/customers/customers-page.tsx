import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { mergeSuggestions } from '../../api/customer-links';
import { customers } from '../../api/endpoints';
import type { Customer } from '../../api/types';
import { SearchIcon, UsersIcon } from '../../components/icons';
import { DuplicatesList, useSuggestions } from '../../components/merge-suggestions';
import { Avatar, EmptyState, Kbd, Spinner } from '../../components/ui';
import { useDebounced } from '../../hooks/useDebounced';
import { customerName, relativeTime } from '../../lib/format';
import { useParams } from '@tanstack/react-router';
import { linkHandler, navigate, useQueryParams } from '../../router';
import { isTyping } from '../inbox/conversation-view';
import { CustomerDetail } from './customer-detail';

export function CustomersPage() {
  const customerId = useParams({ strict: false }).customerId ?? null;
  const query = useQueryParams();
  const [q, setQ] = useState(query.get('q') ?? '');
  const debouncedQ = useDebounced(q.trim(), 250);
  const [items, setItems] = useState<Customer[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    customers
      .list(debouncedQ, undefined, abort.signal)
      .then((res) => {
        setItems(res.data);
        setCursor(res.page.nextCursor);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setError(errorMessage(err));
        setLoading(false);
      });
    return () => abort.abort();
  }, [debouncedQ]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    customers
      .list(debouncedQ, cursor)
      .then((res) => {
        setItems((prev) => [...prev, ...res.data.filter((c) => !prev.some((p) => p.id === c.id))]);
        setCursor(res.page.nextCursor);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [cursor, debouncedQ]);

  // "/" focuses the search box, as in most tools.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !isTyping(e.target)) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const showDuplicates = !customerId && query.get('view') === 'duplicates';
  const duplicates = useSuggestions((c) => mergeSuggestions.list(c), 'all').page;
  const duplicateCount = duplicates ? `${duplicates.data.length}${duplicates.page.nextCursor ? '+' : ''}` : null;

  const suffix = debouncedQ ? `?q=${encodeURIComponent(debouncedQ)}` : '';
  return (
    <div className="inbox">
      <section className="list-pane" aria-label="Customers">
        <header className="pane-header">
          <h1 className="pane-title">Customers</h1>
          <a
            href="/customers?view=duplicates"
            onClick={linkHandler('/customers?view=duplicates')}
            className={showDuplicates ? 'button ghost small pressed' : 'button ghost small'}
          >
            Possible duplicates
            {duplicateCount && duplicateCount !== '0' && <span className="badge dup-badge">{duplicateCount}</span>}
          </a>
        </header>
        <div className="search">
          <SearchIcon size={15} />
          <input
            ref={search}
            type="search"
            aria-label="Search customers"
            placeholder="Search name, email or phone"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && items[0]) navigate(`/customers/${items[0].id}${suffix}`);
            }}
          />
          <Kbd>/</Kbd>
        </div>
        <div className="list-scroll">
          {loading ? (
            <div className="center-pad">
              <Spinner />
            </div>
          ) : error ? (
            <div className="alert alert-error inset">{error}</div>
          ) : items.length === 0 ? (
            debouncedQ ? (
              <EmptyState icon={<SearchIcon size={22} />} title="No matches">
                No customer matches “{debouncedQ}”. Try a shorter name or an email domain.
              </EmptyState>
            ) : (
              <EmptyState icon={<UsersIcon size={22} />} title="No customers yet">
                Customers appear here when they start a conversation or you create one.
              </EmptyState>
            )
          ) : (
            <ul className="conversation-list">
              {items.map((c) => {
                const name = customerName(c);
                const href = `/customers/${c.id}${suffix}`;
                return (
                  <li key={c.id}>
                    <a href={href} onClick={linkHandler(href)} className={c.id === customerId ? 'row selected' : 'row'}>
                      <Avatar name={name} size={34} />
                      <div className="row-main">
                        <div className="row-top">
                          <span className="row-name">
                            {name}
                            {c.vip && <span className="badge vip">VIP</span>}
                          </span>
                          <span className="row-time">{relativeTime(c.updatedAt)}</span>
                        </div>
                        <div className="row-preview">{[c.email, c.phone].filter(Boolean).join(' · ') || 'No contact details'}</div>
                      </div>
                    </a>
                  </li>
                );
              })}
            </ul>
          )}
          {!loading && cursor && (
            <div className="load-more">
              <button type="button" className="button ghost small" onClick={loadMore}>
                Load more
              </button>
            </div>
          )}
        </div>
      </section>
      {customerId ? (
        <CustomerDetail key={customerId} id={customerId} />
      ) : showDuplicates ? (
        <div className="detail-pane scroll">
          <div className="profile">
            <h2 className="section-title">Possible duplicates</h2>
            <p className="muted small dup-intro">
              Profiles that share an email, phone or ID. Merging keeps the chosen profile and moves everything of the other into it.
            </p>
            <DuplicatesList />
          </div>
        </div>
      ) : (
        <div className="detail-pane">
          <EmptyState icon={<UsersIcon size={22} />} title="Select a customer">
            See their contact details, identities and every conversation in one timeline.
          </EmptyState>
        </div>
      )}
    </div>
  );
}
