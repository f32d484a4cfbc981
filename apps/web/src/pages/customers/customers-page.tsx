import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useCallback, useEffect, useRef, useState } from 'react';
import { mergeSuggestions } from '../../api/customer-links';
import { ChevronLeftIcon, SearchIcon, UsersIcon } from '../../components/icons';
import { DuplicatesList, useSuggestions } from '../../components/merge-suggestions';
import { EmptyState, Kbd } from '../../components/ui';
import { useDebounced } from '../../hooks/useDebounced';
import { linkHandler, navigate } from '../../router';
import { useMe } from '../../session';
import { CustomerDetail } from './customer-detail';
import { CustomerList } from './customer-list';
import { t } from './messages';
import { useCustomerList, useCustomerListRealtime } from './queries';
import './customers-page.css';

/** Keys typed into a field are text, not shortcuts (kept here: importing the inbox's would pull its thread in). */
const isTyping = (target: EventTarget | null) => {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
};

/** `?q=` of the customers routes (routes.tsx validates it), kept in the URL so a search survives opening a profile. */
function useCustomerSearch(): [string, (q: string) => void] {
  const search = useSearch({ strict: false }) as { q?: string };
  const go = useNavigate();
  const set = useCallback(
    (q: string) => void go({ to: '.', search: (prev: Record<string, unknown>) => ({ ...prev, q: q || undefined }), replace: true }),
    [go],
  );
  return [search.q ?? '', set];
}

export function CustomersPage() {
  const me = useMe();
  const customerId = useParams({ strict: false }).customerId ?? null;
  const view = (useSearch({ strict: false }) as { view?: string }).view;
  const [q, setQ] = useCustomerSearch();
  // What the box shows; the list follows it (debounced) through the URL.
  const [text, setText] = useState(q);
  const debounced = useDebounced(text.trim(), 250);
  const pushed = useRef(q);
  useEffect(() => {
    // The URL changed elsewhere (the Customers link, Back): show its query.
    if (q !== pushed.current) {
      pushed.current = q;
      setText(q);
    }
  }, [q]);
  useEffect(() => {
    if (debounced === pushed.current) return;
    pushed.current = debounced;
    setQ(debounced);
  }, [debounced, setQ]);

  const { query: list, items } = useCustomerList(q);
  useCustomerListRealtime(me.account.id);
  const searchRef = useRef<HTMLInputElement>(null);

  // "/" focuses the search box, as in most tools.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !e.metaKey && !e.ctrlKey && !isTyping(e.target) && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const suffix = q ? `?q=${encodeURIComponent(q)}` : '';
  const hrefOf = (id: string) => `/customers/${id}${suffix}`;
  const listHref = `/customers${suffix}`;
  const showDuplicates = !customerId && view === 'duplicates';
  const duplicates = useSuggestions((c) => mergeSuggestions.list(c), 'all').page;
  const duplicateCount = duplicates ? `${duplicates.data.length}${duplicates.page.nextCursor ? '+' : ''}` : null;
  const hasDetail = !!customerId || showDuplicates;

  return (
    // On a phone the list and the profile are two stacked screens: `has-detail` shows the second (styles/lists.css).
    <div className={hasDetail ? 'customers-page two-pane has-detail' : 'customers-page two-pane'}>
      <section className="list-pane" aria-label={t('customers')}>
        <header className="pane-header">
          <h1 className="pane-title">{t('customers')}</h1>
          <a
            href="/customers?view=duplicates"
            onClick={linkHandler('/customers?view=duplicates')}
            className={showDuplicates ? 'button ghost small pressed' : 'button ghost small'}
            aria-current={showDuplicates ? 'page' : undefined}
          >
            {t('possibleDuplicates')}
            {duplicateCount && duplicateCount !== '0' && <span className="badge dup-badge">{duplicateCount}</span>}
          </a>
        </header>
        <div className="search" role="search">
          <SearchIcon size={15} />
          <input
            ref={searchRef}
            type="search"
            aria-label={t('search')}
            placeholder={t('searchPlaceholder')}
            title={t('searchHint')}
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && items[0]) navigate(hrefOf(items[0].id));
              else if (e.key === 'Escape') setText('');
              else if (e.key === 'ArrowDown') {
                e.preventDefault();
                document.querySelector<HTMLElement>('.customer-list [data-index="0"] a')?.focus();
              }
            }}
          />
          <Kbd>/</Kbd>
        </div>
        <CustomerList list={list} items={items} q={q} selectedId={customerId} hrefOf={hrefOf} />
      </section>
      {customerId ? (
        <CustomerDetail key={customerId} id={customerId} backHref={listHref} />
      ) : showDuplicates ? (
        <div className="detail-pane scroll">
          <div className="profile">
            <header className="c360-top">
              <a className="c360-back icon-button" href={listHref} onClick={linkHandler(listHref)} aria-label={t('back')}>
                <ChevronLeftIcon />
              </a>
              <h2 className="section-title">{t('possibleDuplicates')}</h2>
            </header>
            <p className="muted small dup-intro">{t('duplicatesIntro')}</p>
            <DuplicatesList />
          </div>
        </div>
      ) : (
        <div className="detail-pane">
          <EmptyState icon={<UsersIcon size={22} />} title={t('selectCustomer')}>
            {t('selectCustomerText')}
          </EmptyState>
        </div>
      )}
    </div>
  );
}
