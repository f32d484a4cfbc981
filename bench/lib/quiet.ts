import type pg from 'pg';

/**
 * Waits until the outbox is dispatched and no listener job is due or running, so the background work one pass
 * leaves behind (W1: one analytics job per message) never runs inside the next pass. Jobs scheduled for later
 * (the IMAP sweep queues its next slot ahead, every 15 s) are not waited for: they are never quiet. Returns the seconds it
 * took, or -1 after `timeoutSec` (a listener failing and retrying, say).
 */
export async function waitForQuiet(pool: pg.Pool, timeoutSec = 300): Promise<number> {
  const started = performance.now();
  const deadline = started + timeoutSec * 1000;
  for (;;) {
    const { rows } = await pool.query<{ pending: number }>(
      `select (select count(*) from events where dispatched_at is null)
            + (select count(*) from pgboss.job where state = 'active' or (state in ('created', 'retry') and start_after <= now()))
              as pending`,
    );
    if (Number(rows[0]!.pending) === 0) return Math.round(performance.now() - started) / 1000;
    if (performance.now() > deadline) return -1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
