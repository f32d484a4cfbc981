import { systemCtx } from '../../platform/context';
import type { AppDeps } from '../../platform/module';
import { recordAutomated } from './commands/record-automated';
import { receiveMail } from './commands/receive-mail';
import type { InboundMail } from './parse';
import type { EmailChannel } from './queries';

export interface MailTarget {
  channel: EmailChannel;
  /** The reply token of the recipient sub-address (`support+<token>@…`), when it had one. */
  token: string | null;
}

/**
 * Stores one parsed mail for each target (one per account): a person's mail through receiveMail, a bounce or an
 * auto-reply through recordAutomated. The SMTP intake and IMAP polling both come through here. Returns one outcome
 * per target (`created`, `appended`, `duplicate`, `bounce`, `auto_reply`, …) once everything has committed; throws
 * what receiveMail throws (an AppError `validation_failed` for a mail without a sender, anything else is transient).
 */
export async function storeMail(deps: Pick<AppDeps, 'database' | 'events'>, mail: InboundMail, targets: Iterable<MailTarget>) {
  const outcomes: string[] = [];
  for (const { channel, token } of targets) {
    const ctx = systemCtx({ db: deps.database.db, events: deps.events }, channel.accountId, 'email:intake');
    if (mail.classification.kind !== 'person') {
      const r = await recordAutomated(ctx, channel, mail);
      outcomes.push(`${r.kind}${r.duplicate ? ' (duplicate)' : ''}`);
      continue;
    }
    const r = await receiveMail(ctx, channel, mail, token);
    outcomes.push(r.outcome);
  }
  return outcomes;
}
