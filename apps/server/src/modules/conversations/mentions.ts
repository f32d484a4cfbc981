import { messagePreview } from '@touchpoint/shared';
import type { Tx } from '../../db/client';
import { conversationMentions } from '../../db/schema';
import { rawQuery } from '../../db/raw-query';
import type { Ctx } from '../../platform/context';
import { invalid } from '../../platform/errors';
import { emit } from '../../platform/events';
import { presentConversation, type ConversationRow, type MessageRow } from './presenters';

/*
 * @mentions in internal notes (docs/inbox.md#mentions): the ids a client sends (`mentions`) and, as a fallback, `@name`
 * or `@email-local-part` in the text. Each mentioned teammate gets a row (the `mentions` view) and a
 * `conversation.mentioned` event (realtime on `user:<id>`; the notifications module makes the bell's entry of it).
 */

export interface Member {
  id: string;
  name: string;
  email: string;
}

/** What may come before an `@` that starts a mention: not a word or email character (`dana@example.com` is no mention). */
const EMAIL_CHAR = /[\p{L}\p{N}._%+-]/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const HANDLE = /(?:^|[^\p{L}\p{N}._%+-])@([\p{L}\p{N}._+-]+)/gu;
const MAX_TEXT_MENTIONS = 50;

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The words right after each `@`, lower-cased, without trailing punctuation: what the member lookup matches on. */
export function mentionTokens(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(HANDLE)) {
    const token = m[1]!.toLowerCase().replace(/[._+-]+$/, '');
    if (token) out.add(token);
    if (out.size >= MAX_TEXT_MENTIONS) break;
  }
  return [...out];
}

/** The handle ends here: end of text, or a character that cannot continue a name (`@dana.` ends; `@dana.smith` does not). */
function endsAt(rest: string, n: number): boolean {
  const next = rest[n];
  if (next === undefined) return true;
  if (WORD_CHAR.test(next)) return false;
  return !(/[.+-]/.test(next) && /[\p{L}\p{N}]/u.test(rest[n + 1] ?? ''));
}

/**
 * The members a note's text mentions. At each `@` (not inside an email address) the longest of these wins, compared
 * case-insensitively: a member's email local part (`@dana.smith`), full name (`@Dana Smith`), full name without
 * spaces (`@DanaSmith`), or first name when no other candidate member has it (`@Dana`). Two members equally matched
 * mention nobody.
 */
export function mentionedInText(body: string, members: Member[]): string[] {
  if (!body.includes('@') || members.length === 0) return [];
  const firstNames = new Map<string, number>();
  for (const m of members) {
    const first = norm(m.name).split(' ')[0]!;
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const handles = members.map((m) => {
    const full = norm(m.name);
    const first = full.split(' ')[0]!;
    const local = m.email.split('@')[0]!.toLowerCase();
    return { id: m.id, names: [local, full, full.replace(/ /g, ''), ...(firstNames.get(first) === 1 ? [first] : [])].filter(Boolean) };
  });
  const found = new Set<string>();
  const lower = body.toLowerCase();
  for (let i = lower.indexOf('@'); i >= 0 && found.size < MAX_TEXT_MENTIONS; i = lower.indexOf('@', i + 1)) {
    if (i > 0 && EMAIL_CHAR.test(lower[i - 1]!)) continue;
    const rest = lower.slice(i + 1, i + 201).replace(/\s+/g, ' ');
    let best: { len: number; ids: Set<string> } = { len: 0, ids: new Set() };
    for (const h of handles) {
      for (const name of h.names) {
        if (name.length < best.len || !rest.startsWith(name) || !endsAt(rest, name.length)) continue;
        if (name.length > best.len) best = { len: name.length, ids: new Set() };
        best.ids.add(h.id);
      }
    }
    if (best.ids.size === 1) found.add([...best.ids][0]!);
  }
  return [...found];
}

/** Active members of the account among `ids`, or whose handle could be one of `tokens`. */
async function candidates(tx: Tx, accountId: string, ids: string[], tokens: string[]): Promise<Member[]> {
  const { rows } = await rawQuery<Member>(
    tx,
    `select u.id, u.name, u.email
       from memberships m
       join users u on u.id = m.user_id
      where m.account_id = $1 and m.active
        and (m.user_id = any($2::uuid[])
             or lower(split_part(u.email, '@', 1)) = any($3::text[])
             or lower(split_part(u.name, ' ', 1)) = any($3::text[])
             or lower(replace(u.name, ' ', '')) = any($3::text[]))`,
    [accountId, ids, tokens],
  );
  return rows;
}

/**
 * Records who a note mentions (the ids given, which must be active members of the account, and the handles in its
 * text) and emits `conversation.mentioned` for each, in the note's transaction. Writers never mention themselves.
 */
export async function recordMentions(
  tx: Tx,
  ctx: Ctx,
  conversation: ConversationRow,
  note: MessageRow,
  ids: readonly string[] = [],
): Promise<string[]> {
  const explicit = [...new Set(ids)];
  const tokens = mentionTokens(note.body);
  if (explicit.length === 0 && tokens.length === 0) return [];
  const members = await candidates(tx, ctx.accountId, explicit, tokens);
  const known = new Set(members.map((m) => m.id));
  const unknown = explicit.findIndex((id) => !known.has(id));
  if (unknown >= 0) throw invalid(`mentions.${unknown}`, 'Mention active members of this account');
  const byUserId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const mentioned = [...new Set([...explicit, ...mentionedInText(note.body, members)])].filter((id) => id !== byUserId);
  if (mentioned.length === 0) return [];
  const inserted = await tx
    .insert(conversationMentions)
    .values(
      mentioned.map((userId) => ({
        accountId: ctx.accountId,
        conversationId: conversation.id,
        messageId: note.id,
        mentionedUserId: userId,
        byUserId,
        createdAt: note.createdAt,
      })),
    )
    .onConflictDoNothing()
    .returning({ userId: conversationMentions.mentionedUserId });
  const presented = presentConversation(conversation);
  const preview = messagePreview(note.body);
  for (const { userId } of inserted) {
    await emit(tx, ctx, {
      type: 'conversation.mentioned',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      payload: { conversationId: conversation.id, messageId: note.id, mentionedUserId: userId, byUserId, preview, conversation: presented },
    });
  }
  return inserted.map((r) => r.userId);
}
