import { SEARCH_MAX_RESULTS, decodeCursor, encodeCursor, type SearchQuery } from '@touchpoint/shared';
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { conversations, customers, messages } from '../../db/schema';
import { invalid } from '../../platform/errors';
import { inRankedOrder, withRowSecurityLifted } from '../../platform/tx';
import { customerSummaryColumns } from './queries';
import { HEADLINE_OPTIONS, MARKERS, headlineToHtml, searchTerms } from './search-query';

/**
 * Full-text search ('simple' configuration, so it works the same for every language) over message bodies and
 * customer profiles. Ranked results page by an offset hidden in the cursor; only the best SEARCH_MAX_RESULTS
 * hits are reachable, which keeps deep ranked scans off the database.
 */
function pageOf(q: SearchQuery): { offset: number; limit: number } {
  let offset = 0;
  if (q.cursor) {
    const v = decodeCursor(q.cursor)?.[0];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= SEARCH_MAX_RESULTS) throw invalid('cursor', 'The cursor is invalid');
    offset = v;
  }
  return { offset, limit: Math.min(q.limit, SEARCH_MAX_RESULTS - offset) };
}

/** Every word matches, either as the parser splits it or as one whole lexeme. Null when nothing is searchable. */
function tsqueryOf(input: string): SQL | null {
  const terms = searchTerms(input);
  if (terms.length === 0) return null;
  return sql`(${sql.join(
    terms.map((t) => sql`(to_tsquery('simple', ${t.parsed}) || ${t.raw}::tsquery)`),
    sql` && `,
  )})`;
}

function nextCursor(offset: number, limit: number, fetched: number): string | null {
  return fetched > limit && offset + limit < SEARCH_MAX_RESULTS ? encodeCursor([offset + limit]) : null;
}

export async function searchConversations(tx: Tx, accountId: string, q: SearchQuery) {
  const query = tsqueryOf(q.q);
  const { offset, limit } = pageOf(q);
  if (!query) return { items: [], nextCursor: null };
  // 1. Ranked ids, with row security lifted so `@@` can use the GIN index (every table filtered by the tenant).
  const best = tx.$with('best').as(
    tx
      .selectDistinctOn([messages.conversationId], {
        messageId: sql<string>`${messages.id}`.as('message_id'),
        conversationId: sql<string>`${messages.conversationId}`.as('best_conversation_id'),
        rank: sql<number>`ts_rank(${messages.searchVector}, ${query})`.as('rank'),
      })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), sql`${messages.searchVector} @@ ${query}`))
      .orderBy(messages.conversationId, sql`ts_rank(${messages.searchVector}, ${query}) desc`, desc(messages.id)),
  );
  const ranked = await withRowSecurityLifted(tx, () =>
    tx
      .with(best)
      .select({ messageId: best.messageId, rank: best.rank })
      .from(best)
      .innerJoin(
        conversations,
        and(
          eq(conversations.accountId, accountId),
          eq(conversations.id, best.conversationId),
          q.status ? eq(conversations.status, q.status) : undefined,
        ),
      )
      .orderBy(desc(best.rank), desc(conversations.lastActivityAt), desc(conversations.id))
      .limit(limit + 1)
      .offset(offset),
  );
  const page = ranked.slice(0, limit);
  if (page.length === 0) return { items: [], nextCursor: null };
  // 2. The rows themselves, read back under row-level security, in the ranked order.
  const rows = await tx
    .select({
      conversation: conversations,
      customer: customerSummaryColumns,
      messageId: messages.id,
      headline: sql<string>`ts_headline('simple', translate(${messages.body}, ${MARKERS}, ''), ${query}, ${HEADLINE_OPTIONS})`,
    })
    .from(messages)
    .innerJoin(conversations, and(eq(conversations.accountId, accountId), eq(conversations.id, messages.conversationId)))
    .leftJoin(customers, and(eq(customers.accountId, accountId), eq(customers.id, conversations.customerId)))
    .where(
      and(
        eq(messages.accountId, accountId),
        inArray(
          messages.id,
          page.map((r) => r.messageId),
        ),
      ),
    );
  return {
    items: inRankedOrder(
      page,
      rows,
      (r) => r.messageId,
      (r) => r.messageId,
    ).map(([r, row]) => ({
      ...row,
      rank: r.rank,
      snippetHtml: headlineToHtml(row.headline),
    })),
    nextCursor: nextCursor(offset, limit, ranked.length),
  };
}

export async function searchCustomers(tx: Tx, accountId: string, q: SearchQuery) {
  const query = tsqueryOf(q.q);
  const { offset, limit } = pageOf(q);
  if (!query) return { items: [], nextCursor: null };
  const profile = sql`concat_ws(' ', ${customers.name}, ${customers.email}, ${customers.phone}, ${customers.externalId})`;
  const rank = sql<number>`ts_rank(${customers.searchVector}, ${query})`;
  // 1. Ranked ids with row security lifted (GIN index usable); 2. rows read back under row-level security.
  const ranked = await withRowSecurityLifted(tx, () =>
    tx
      .select({ id: customers.id, rank })
      .from(customers)
      .where(and(eq(customers.accountId, accountId), isNull(customers.mergedIntoId), sql`${customers.searchVector} @@ ${query}`))
      .orderBy(desc(rank), desc(customers.createdAt), desc(customers.id))
      .limit(limit + 1)
      .offset(offset),
  );
  const page = ranked.slice(0, limit);
  if (page.length === 0) return { items: [], nextCursor: null };
  const rows = await tx
    .select({
      id: customers.id,
      customer: customerSummaryColumns,
      headline: sql<string>`ts_headline('simple', translate(${profile}, ${MARKERS}, ''), ${query}, ${HEADLINE_OPTIONS})`,
    })
    .from(customers)
    .where(
      and(
        eq(customers.accountId, accountId),
        inArray(
          customers.id,
          page.map((r) => r.id),
        ),
      ),
    );
  return {
    items: inRankedOrder(
      page,
      rows,
      (r) => r.id,
      (r) => r.id,
    ).map(([r, row]) => ({
      customer: row.customer,
      rank: r.rank,
      headline: row.headline,
      snippetHtml: headlineToHtml(row.headline),
    })),
    nextCursor: nextCursor(offset, limit, ranked.length),
  };
}
