import { ApiError, errorMessage } from '../../api/client';
import { ChevronLeftIcon, SearchIcon } from '../../components/icons';
import { Avatar, EmptyState, Spinner } from '../../components/ui';
import { useAbilities } from '../../hooks/useAbilities';
import { capitalize, customerName, relativeTime } from '../../lib/format';
import { linkHandler } from '../../router';
import { AttributesCard } from './attributes-card';
import { CustomerTimeline } from './customer-timeline';
import { IdentitiesCard } from './identities-card';
import { t } from './messages';
import { NotesCard } from './notes-card';
import { CustomerPanels } from './panels';
import { ProfileCard } from './profile-card';
import { useCustomer, useCustomerRealtime } from './queries';

/**
 * Customer 360: who they are (editable profile and attributes), how we recognise them (identities), what the team
 * knows (notes), what else we know (panels from later capabilities), and every conversation on every channel.
 */
export function CustomerDetail({ id, backHref }: { id: string; backHref: string }) {
  const query = useCustomer(id);
  useCustomerRealtime(id);
  const can = useAbilities(query.data?.policies, id);
  const back = (
    <a className="c360-back icon-button" href={backHref} onClick={linkHandler(backHref)} aria-label={t('back')} title={t('back')}>
      <ChevronLeftIcon />
    </a>
  );

  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div className="detail-pane scroll">
        <div className="profile">
          <header className="c360-top">{back}</header>
          <EmptyState icon={<SearchIcon size={22} />} title={notFound ? t('notFound') : t('loadFailed')}>
            {notFound ? t('notFoundText') : errorMessage(query.error)}
          </EmptyState>
        </div>
      </div>
    );
  }
  if (!query.data) {
    return (
      <div className="detail-pane scroll">
        <div className="profile">
          <header className="c360-top">{back}</header>
          <div className="center-pad">
            <Spinner />
          </div>
        </div>
      </div>
    );
  }

  const customer = query.data.data;
  const name = customerName(customer);
  const merged = !!customer.mergedIntoId;
  const since = new Date(customer.createdAt).toLocaleDateString(undefined, { month: 'short', year: 'numeric' });
  return (
    <div className="detail-pane scroll c360" data-customer-id={customer.id}>
      <div className="profile">
        <header className="c360-top profile-header">
          {back}
          <Avatar name={name} size={52} />
          <div className="c360-heading">
            <h2 className="profile-name">
              <span className="truncate">{name}</span>
              {customer.vip && <span className="badge vip">{t('vip')}</span>}
            </h2>
            <div className="profile-sub">
              {[
                customer.segment && capitalize(customer.segment),
                customer.language?.toUpperCase(),
                t('customerSince', { date: since }),
                customer.lastSeenAt && t('lastSeen', { when: relativeTime(customer.lastSeenAt) }),
              ]
                .filter(Boolean)
                .join(' · ')}
            </div>
          </div>
        </header>

        {merged && (
          <div className="alert alert-info" role="status">
            {t('mergedAway')}{' '}
            <a href={`/customers/${customer.mergedIntoId}`} onClick={linkHandler(`/customers/${customer.mergedIntoId}`)}>
              {t('openSurvivor')}
            </a>
          </div>
        )}

        <div className="c360-body">
          <div className="c360-aside">
            <ProfileCard customer={customer} canEdit={!merged && can('update')} />
            <AttributesCard customer={customer} canEdit={!merged && can('update')} />
            <IdentitiesCard customer={customer} canManage={!merged && can('manage_identities')} />
            <CustomerPanels customer={customer} can={can} />
          </div>
          <div className="c360-main">
            <NotesCard customerId={customer.id} canAdd={!merged && can('add_note')} />
            <CustomerTimeline customerId={customer.id} />
          </div>
        </div>
      </div>
    </div>
  );
}
