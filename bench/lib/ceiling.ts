import type { AddressInfo } from 'node:net';
import { ZConversationParams, ZCreateMessageBody, ZListConversationsQuery, ZListMessagesQuery } from '@touchpoint/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';

/**
 * The HTTP ceiling (BENCHMARKS R1b / R7a over HTTP): a bare Fastify app with no product code, answering the same
 * URLs as ours with the same input validation (the shared zod contracts through fastify-type-provider-zod), a
 * bearer-token check against one in-memory token, and the raw reference's SQL on the reference pool. What it adds to
 * the raw reference is the cost of HTTP, routing, validation and JSON; what ours adds to it is product code.
 */
export interface CeilingRoutes {
  /** W1: the reference transaction for one message; returns what the response carries. */
  postMessage?: (conversationId: string, body: { body: string; kind: string; clientMessageId: string }) => Promise<unknown>;
  /** W7: the inbox list's rows. */
  list?: () => Promise<unknown[]>;
  /** W7: one conversation's messages, or null for an unknown conversation (404). */
  messages?: (conversationId: string, limit: number) => Promise<unknown[] | null>;
}

export interface Ceiling {
  origin: string;
  server: FastifyInstance['server'];
  close(): Promise<void>;
}

export async function startCeiling(authorization: string, routes: CeilingRoutes): Promise<Ceiling> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.authorization !== authorization) return reply.status(401).send({ code: 'unauthenticated' });
  });
  const { postMessage, list, messages } = routes;
  if (postMessage)
    app.post(
      '/api/v1/conversations/:id/messages',
      { schema: { params: ZConversationParams, body: ZCreateMessageBody } },
      async (req, reply) => {
        const b = req.body as { body?: string; kind: string; clientMessageId?: string };
        const data = await postMessage(req.params.id, { body: b.body ?? '', kind: b.kind, clientMessageId: b.clientMessageId ?? '' });
        return reply.status(201).send({ data });
      },
    );
  if (list)
    app.get('/api/v1/conversations', { schema: { querystring: ZListConversationsQuery } }, async (req) => ({
      data: await list(),
      page: { nextCursor: null, limit: req.query.limit },
    }));
  if (messages)
    app.get(
      '/api/v1/conversations/:id/messages',
      { schema: { params: ZConversationParams, querystring: ZListMessagesQuery } },
      async (req, reply) => {
        const rows = await messages(req.params.id, req.query.limit);
        if (!rows) return reply.status(404).send({ code: 'not_found' });
        return { data: rows.reverse(), page: { nextCursor: null, limit: req.query.limit } };
      },
    );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server: app.server, close: () => app.close() };
}
