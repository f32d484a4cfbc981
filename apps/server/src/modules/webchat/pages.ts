import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, AppDeps } from '../../platform/module';
import { findDemoWebChannel } from './demo-channel';
import { demoPage, frameHtml, noDemoPage } from './html';

/** Built by `npm run build -w @touchpoint/widget` (npm test and npm start build it first). */
const widgetDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../widget/dist');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function sendAsset(reply: FastifyReply, file: string) {
  let js: Buffer;
  try {
    js = await fs.readFile(path.join(widgetDist, file));
  } catch {
    return reply.status(404).type('text/plain').send(`${file} is not built: run npm run build -w @touchpoint/widget`);
  }
  // Customer sites load it cross-origin on every page view: a short cache keeps deploys visible within minutes.
  return reply
    .type('text/javascript; charset=utf-8')
    .header('cache-control', 'public, max-age=300')
    .header('access-control-allow-origin', '*')
    .send(js);
}

/**
 * Outside `/api/v1`: the loader customer sites embed (`/widget.js`), the chat frame it opens (`/widget/frame.html`
 * and its script) and the demo store page (`/demo`). Registered at the root by app.ts.
 */
export function registerWidgetPages(app: App, deps: AppDeps): void {
  const config = { auth: 'public' } as const;
  app.get('/widget.js', { config, schema: { hide: true } }, (_req, reply) => sendAsset(reply, 'widget.js'));
  app.get('/widget/frame.js', { config, schema: { hide: true } }, (_req, reply) => sendAsset(reply, 'frame.js'));
  app.get(
    '/widget/frame.html',
    { config, schema: { hide: true, querystring: z.object({ channel: z.string().regex(UUID, 'A channel id') }) } },
    (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        // The frame holds the visitor token: it runs only our own script and talks only to this server.
        .header(
          'content-security-policy',
          "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:",
        )
        .send(frameHtml(req.query.channel)),
  );
  app.get('/demo', { config, schema: { hide: true } }, async (_req, reply) => {
    const channelId = await findDemoWebChannel(deps);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(channelId ? demoPage(channelId) : noDemoPage());
  });
}
