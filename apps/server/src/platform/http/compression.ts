import zlib from 'node:zlib';
import compress, { type FastifyCompressOptions } from '@fastify/compress';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** Smaller answers go out as they are: below ~1 KB the headers dominate and compressing only costs CPU. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * Text that shrinks: JSON (problem+json too), HTML, CSS, JavaScript, SVG. Never event streams, and never
 * application/octet-stream or media (attachments are downloaded as stored: compressed already, or not worth it).
 */
const COMPRESSIBLE = /^(?:text\/(?!event-stream)|application\/(?:[\w.-]+\+)?json|application\/(?:javascript|xml)|image\/svg\+xml)/;

/**
 * brotli or gzip, as the client prefers (neither: identity), at their fastest levels: answers are compressed on the
 * request's CPU. On an inbox page (13 KB of JSON) brotli 1 takes ~75 µs for 3.2 KB and gzip 1 ~110 µs for 3.1 KB,
 * where brotli 4 (the plugin's default) takes ~300 µs for 2.8 KB and gzip 6 ~240 µs: 4x fewer bytes either way, for
 * a third of JSON.stringify's time instead of more than all of it (docs/performance.md, "Serving"). Build-time files
 * get the slow levels (scripts/vite-precompress.ts). Request bodies are not decompressed: nothing sends them
 * compressed, and the signed webhooks verify the bytes as they arrive.
 */
const OPTIONS: FastifyCompressOptions = {
  threshold: COMPRESS_THRESHOLD_BYTES,
  // Compress answers up to 64 KiB in one synchronous call (~0.1 ms for an inbox page) instead of through a zlib
  // stream: the plugin's default on 2 cores is 8 KiB, and above it every page of the inbox list took the stream path,
  // whose per-response pipeline cost several times the compression itself (docs/performance.md, "Serving").
  syncThreshold: 64 * 1024,
  encodings: ['br', 'gzip'],
  customTypes: COMPRESSIBLE,
  brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
  zlibOptions: { level: 1 },
};

/**
 * Which routes compress their answers: the API (`/api/*`, JSON) and the widget's pages and scripts. Not WebSocket
 * routes (an upgrade has no body; they get no compression hook at all), not the health checks, and not the web app's
 * files, which @fastify/static serves from their precompressed `.br`/`.gz` copies (static-files.ts).
 */
function compressesAnswers(route: RouteOptions & { websocket?: boolean }): boolean {
  if (route.websocket) return false;
  return route.url.startsWith('/api/') || route.url === '/widget.js' || route.url.startsWith('/widget/') || route.url === '/demo';
}

/**
 * HTTP compression of dynamic answers (docs/operations.md#compression-and-caching). Registered before any route:
 * its own onRoute hook must run before the plugin's, which builds each route's hooks from `route.compress`.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.compress === undefined && compressesAnswers(route)) route.compress = OPTIONS;
  });
  await app.register(compress, { ...OPTIONS, global: false, globalDecompression: false });
}
