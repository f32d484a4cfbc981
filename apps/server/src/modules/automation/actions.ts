import { requestRouting } from '../routing';
import { normalizeTags, renderTemplate, type RuleAction, type RunAction } from '@touchpoint/shared';
import { and, eq } from 'drizzle-orm';
import { macros } from '../../db/schema';
import type { Ctx } from '../../platform/context';
import { read } from '../../platform/tx';
import {
  assignConversation,
  changeConversationStatus,
  createMessage,
  getConversation,
  presentConversation,
  setConversationTags,
  updateConversation,
} from '../conversations';
import { applyMacroRow } from './commands/apply-macro';
import type { RuleRow } from './presenters';
import { templateValuesFor } from './template-values';
import type { WebhookCall } from './webhook';

export interface ActionRun {
  /** An automation ctx: actor {kind:'automation', ruleId} and the causation of the triggering event. */
  ctx: Ctx;
  rule: RuleRow;
  conversationId: string;
  runId: string;
  event: { id: string; type: string } | null;
  enqueueWebhook(call: WebhookCall, dedupeKey: string): Promise<void>;
}

async function currentConversation(ctx: Ctx, conversationId: string) {
  return read(ctx, async (tx) => (await getConversation(tx, ctx.accountId, conversationId)).conversation);
}

async function render(ctx: Ctx, conversationId: string, body: string): Promise<string> {
  return read(ctx, async (tx) => {
    const { conversation } = await getConversation(tx, ctx.accountId, conversationId);
    return renderTemplate(body, await templateValuesFor(tx, ctx.actor, conversation));
  });
}

/**
 * Runs one action through the conversations commands, as the rule. Messages carry a client message id derived
 * from the run, so a retried run never sends the same reply twice.
 */
async function runAction(r: ActionRun, action: RuleAction, index: number): Promise<void> {
  const { ctx, conversationId } = r;
  const clientMessageId = `automation:${r.runId}:${index}`;
  switch (action.type) {
    case 'assign_team':
      await assignConversation(ctx, { conversationId, teamId: action.teamId });
      return;
    case 'route':
      await requestRouting(ctx, conversationId, action.teamId ? { teamId: action.teamId } : {});
      return;
    case 'assign_agent':
      await assignConversation(ctx, { conversationId, assigneeId: action.userId });
      return;
    case 'set_priority':
      await updateConversation(ctx, { conversationId, priority: action.priority });
      return;
    case 'set_status':
      await changeConversationStatus(ctx, { conversationId, status: action.status });
      return;
    case 'add_tags':
    case 'remove_tags': {
      const conv = await currentConversation(ctx, conversationId);
      const drop = new Set(normalizeTags(action.tags));
      const tags = action.type === 'add_tags' ? normalizeTags([...conv.tags, ...action.tags]) : conv.tags.filter((t) => !drop.has(t));
      await setConversationTags(ctx, { conversationId, tags });
      return;
    }
    case 'send_reply':
    case 'add_note': {
      const body = await render(ctx, conversationId, action.body);
      await createMessage(ctx, { conversationId, body, kind: action.type === 'send_reply' ? 'outgoing' : 'note', clientMessageId });
      return;
    }
    case 'apply_macro': {
      const [macro] = await read(ctx, (tx) =>
        tx
          .select()
          .from(macros)
          .where(and(eq(macros.accountId, ctx.accountId), eq(macros.id, action.macroId), eq(macros.visibility, 'shared'))),
      );
      if (!macro) throw new Error('The macro no longer exists or is no longer shared');
      await applyMacroRow(ctx, macro, conversationId, { clientMessageId });
      return;
    }
    case 'call_webhook': {
      const conversation = presentConversation(await currentConversation(ctx, conversationId));
      const body = JSON.stringify({
        rule: { id: r.rule.id, name: r.rule.name },
        event: r.event,
        runId: r.runId,
        conversation,
        sentAt: new Date().toISOString(),
      });
      await r.enqueueWebhook(
        { accountId: ctx.accountId, ruleId: r.rule.id, url: action.url, body, runId: r.runId, actionIndex: index },
        `${r.runId}:${index}`,
      );
      return;
    }
  }
}

/** Runs the rule's actions in order; stops at the first failure and reports what was done before it. */
export async function runActions(r: ActionRun): Promise<{ taken: RunAction[]; error: string | null }> {
  const taken: RunAction[] = [];
  const actions = r.rule.actions as RuleAction[];
  for (const [i, action] of actions.entries()) {
    try {
      await runAction(r, action, i);
      // The delivery job updates this entry (webhook.ts), so the run shows whether the call got through.
      taken.push(action.type === 'call_webhook' ? { ...action, delivery: { status: 'queued' } } : action);
    } catch (err) {
      return { taken, error: `actions.${i} (${action.type}): ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return { taken, error: null };
}
