import type { ReactNode } from 'react';
import { capitalize, initials, tintFor } from '../lib/format';
import { t } from './messages';

export function Avatar({ name, size = 32 }: { name: string; size?: number }) {
  return (
    <span
      className={`avatar tint-${tintFor(name)}`}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.38) }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      {icon && <div className="empty-icon">{icon}</div>}
      <div className="empty-title">{title}</div>
      {children && <div className="empty-text">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

export function Spinner({ label = t('loading') }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function PriorityBadge({ priority }: { priority: string }) {
  if (!priority || priority === 'normal') return null;
  return <span className={`badge priority-${priority}`}>{capitalize(priority)}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{capitalize(status)}</span>;
}

export function Tag({ children, onRemove }: { children: string; onRemove?: () => void }) {
  return (
    <span className="tag">
      {children}
      {onRemove && (
        <button type="button" className="tag-remove" onClick={onRemove} aria-label={t('removeTag', { name: children })}>
          ×
        </button>
      )}
    </span>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}
