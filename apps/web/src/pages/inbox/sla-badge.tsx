import { useEffect, useState } from 'react';
import { fullTime } from '../../lib/format';
import type { SlaSummary } from './conversation-row';
import { t } from './messages';

/** "12m", "3h 5m", "2d 4h": the largest two units of a duration. */
export function shortDuration(ms: number): string {
  const m = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Re-renders every 30 s so countdowns move without any data changing. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** The nearest SLA target of a conversation: breached (red), due within the hour (amber), running, paused. */
export function SlaBadge({ sla }: { sla: SlaSummary | null | undefined }) {
  const now = useNow();
  if (!sla || !sla.state || sla.state === 'met') return null;
  if (sla.state === 'paused') return <span className="badge sla-badge sla-paused">{t('slaPaused')}</span>;
  const due = sla.dueAt ? Date.parse(sla.dueAt) : NaN;
  if (sla.state === 'breached' || (Number.isFinite(due) && due <= now)) {
    return (
      <span className="badge sla-badge sla-breached" title={sla.dueAt ? fullTime(sla.dueAt) : undefined}>
        {Number.isFinite(due) ? t('slaOverdue', { time: shortDuration(now - due) }) : t('slaBreached')}
      </span>
    );
  }
  if (!Number.isFinite(due)) return null;
  const soon = due - now < 60 * 60_000;
  return (
    <span className={`badge sla-badge ${soon ? 'sla-soon' : 'sla-running'}`} title={fullTime(sla.dueAt!)}>
      {t('slaDueIn', { time: shortDuration(due - now) })}
    </span>
  );
}
