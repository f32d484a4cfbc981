import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../../platform/jobs';
import type { AppDeps } from '../../../platform/module';
import { pollMailbox, type Logger } from './poll';
import { listImapChannels } from './state';

/** The sweep runs on a fixed 15 s grid (the shortest pollSeconds), so every node computes the same slots. */
export const SWEEP_EVERY_MS = 15_000;

export function nextSweepSlot(at: Date): Date {
  return new Date((Math.floor(at.getTime() / SWEEP_EVERY_MS) + 1) * SWEEP_EVERY_MS);
}

const ZSweep = z.object({ slot: z.iso.datetime() });
const ZPoll = z.object({ accountId: z.uuid(), channelId: z.uuid() });

/**
 * IMAP polling through the job queue. `email-imap-sweep` runs once per slot (the slot is its dedupe key, so nodes
 * that all kick it at boot still make one chain), reschedules itself first, and enqueues an `email-imap-poll` per
 * mailbox that is due (dedupe key channel + slot). Whichever worker takes a poll job polls; the lease in
 * email_imap_states keeps a second poll of the same mailbox (a slow one, or "poll now") from running alongside.
 */
export function registerImapJobs(deps: AppDeps, log: Logger) {
  const pollJob: JobDefinition<z.infer<typeof ZPoll>> = defineJob({
    name: 'email-imap-poll',
    schema: ZPoll,
    // A failed poll is recorded in the channel's status and simply tried again at the next interval.
    options: { retryLimit: 0, expireInSeconds: 900 },
    run: async ({ accountId, channelId }) => {
      await pollMailbox(deps, log, accountId, channelId);
    },
  });
  const scheduleSweep = (slot: Date) =>
    deps.jobs.enqueue(sweepJob, { slot: slot.toISOString() }, { runAt: slot, dedupeKey: `slot:${slot.toISOString()}` });
  const sweepJob: JobDefinition<z.infer<typeof ZSweep>> = defineJob({
    name: 'email-imap-sweep',
    schema: ZSweep,
    options: { retryLimit: 2, retryDelay: 5, expireInSeconds: 120 },
    run: async ({ slot }) => {
      const now = new Date();
      // First, so nothing below can end the chain.
      await scheduleSweep(nextSweepSlot(new Date(Math.max(now.getTime(), Date.parse(slot)))));
      for (const { channel, lastPollAt } of await listImapChannels(deps.database.db)) {
        // Half a slot of slack: a poll starts a moment after its slot, and should not slip to the slot after next.
        if (lastPollAt && now.getTime() - lastPollAt.getTime() < channel.imap.pollSeconds * 1000 - SWEEP_EVERY_MS / 2) continue;
        await deps.jobs.enqueue(pollJob, { accountId: channel.accountId, channelId: channel.id }, { dedupeKey: `${channel.id}:${slot}` });
      }
    },
  });
  deps.jobs.register(pollJob);
  deps.jobs.register(sweepJob);
  return {
    pollJob,
    sweepJob,
    /** Starts (or joins) the sweep chain: called at boot on nodes that run workers. */
    start: () => scheduleSweep(nextSweepSlot(new Date())),
  };
}
