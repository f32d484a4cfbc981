import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, AppDeps } from '../../platform/module';
import { findDemoWebChannel } from './demo-channel';
import { demoPage, frameHtml, noDemoPage } from './html';

/** Built by `npm run build -w @touchpoint/widget` (npm test and npm start build it first). */
const widgetDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../widget/dist');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The build's precompressed copy the client accepts (`.br` before `.gz`), if it was written. */
async function readBest(file: string, acceptEncoding: string): Promise<{ body: Buffer; encoding: 'br' | 'gzip' | null }> {
  const accepted = new Set(
    acceptEncoding
      .toLowerCase()
      .split(',')
      .map((part) => part.split(';').map((x) => x.trim()))
      .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q))
      .map(([name]) => name),
  );
  const accepts = (enc: string) => accepted.has(enc);
  for (const [enc, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!accepts(enc)) continue;
    const body = await fs.readFile(path.join(widgetDist, file + ext)).catch(() => null);
    if (body) return { body, encoding: enc };
  }
  return { body: await fs.readFile(path.join(widgetDist, file)), encoding: null };
}

async function sendAsset(req: FastifyRequest, reply: FastifyReply, file: string) {
  let asset: Awaited<ReturnType<typeof readBest>>;
  try {
    asset = await readBest(file, String(req.headers['accept-encoding'] ?? ''));
  } catch {
    return reply.status(404).type('text/plain').send(`${file} is not built: run npm run build -w @touchpoint/widget`);
  }
  // The build's brotli/gzip copies (scripts/vite-precompress.ts) cost no CPU per request; a preset Content-Encoding
  // makes the compression hook leave the answer alone.
  if (asset.encoding) reply.header('content-encoding', asset.encoding);
  // Customer sites load it cross-origin on every page view: a short cache keeps deploys visible within minutes.
  return reply
    .type('text/javascript; charset=utf-8')
    .header('vary', 'accept-encoding')
    .header('cache-control', 'public, max-age=300')
    .header('access-control-allow-origin', '*')
    .send(asset.body);
}

/**
 * Outside `/api/v1`: the loader customer sites embed (`/widget.js`), the chat frame it opens (`/widget/frame.html`
 * and its script) and the demo store page (`/demo`). Registered at the root by app.ts.
 */
export function registerWidgetPages(app: App, deps: AppDeps): void {
  const config = { auth: 'public' } as const;
  app.get('/widget.js', { config, schema: { hide: true } }, (req, reply) => sendAsset(req, reply, 'widget.js'));
  app.get('/widget/frame.js', { config, schema: { hide: true } }, (req, reply) => sendAsset(req, reply, 'frame.js'));
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
