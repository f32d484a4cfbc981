import type { ComponentType, ReactNode } from 'react';
import type { Customer } from '../../api/customer-links';
import type { Can } from '../../hooks/useAbilities';
import { PossibleDuplicatesCard } from '../../components/merge-suggestions';

/**
 * The Customer 360's side panels, one entry each, shown in this order after the profile, attributes, identities
 * and notes. A panel reads its own data (a `useQuery` keyed under ['customer', id, ...]) and renders a
 * `<PanelCard>` only when the API returned something for this customer; otherwise it renders null. No empty
 * shells and no "coming soon": a capability that is not there yet simply has no entry.
 *
 * Later issues add their panels here without touching the page, e.g. orders (commerce), survey scores (NPS/CSAT/CES),
 * sentiment (insights) and journey stage (journeys):
 *
 *   { id: 'orders', when: (c) => !c.mergedIntoId, Component: OrdersPanel }
 *   function OrdersPanel({ customer }: CustomerPanelProps) {
 *     const { data } = useQuery({ queryKey: ['customer', customer.id, 'orders'], queryFn: ... });
 *     if (!data?.data.length) return null;
 *     return <PanelCard id="orders" title="Orders">...</PanelCard>;
 *   }
 *
 * Realtime invalidation of ['customer', id, 'timeline'] does not touch them; a panel that must be live invalidates its
 * own key from useCustomerRealtime (queries.ts).
 */
export interface CustomerPanelProps {
  customer: Customer;
  /** The customer's abilities (`policies` of GET /customers/:id): update, merge, ... */
  can: Can;
}

export interface CustomerPanel {
  id: string;
  /** Whether the panel applies to this customer at all (a merged-away profile shows none). */
  when?: (customer: Customer) => boolean;
  Component: ComponentType<CustomerPanelProps>;
}

/** The card every panel renders itself in, so they look alike and are labelled by their title. */
export function PanelCard({ id, title, children, wide }: { id: string; title: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'card c360-panel wide' : 'card c360-panel'} aria-labelledby={`c360-panel-${id}`} data-panel={id}>
      <h3 className="card-title" id={`c360-panel-${id}`}>
        {title}
      </h3>
      {children}
    </section>
  );
}

export const CUSTOMER_PANELS: readonly CustomerPanel[] = [
  {
    id: 'duplicates',
    when: (c) => !c.mergedIntoId,
    Component: ({ customer }) => <PossibleDuplicatesCard customerId={customer.id} />,
  },
];

/** Every panel that applies to the customer, in registry order. */
export function CustomerPanels({ customer, can }: CustomerPanelProps) {
  return (
    <>
      {CUSTOMER_PANELS.filter((p) => p.when?.(customer) ?? true).map(({ id, Component }) => (
        <Component key={id} customer={customer} can={can} />
      ))}
    </>
  );
}
