import path from 'node:path';
import type { FastifyStaticOptions } from '@fastify/static';
import type { FastifyReply } from 'fastify';

/** Hashed build output (`assets/index-B4al7q17.js`): a new build gets new names, so a copy never goes stale. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else, index.html first: the browser may keep it but asks (ETag / Last-Modified) before using it. */
export const REVALIDATE = 'no-cache';

/**
 * How the web app's built files (`root`: apps/web/dist) are served: the `.br` or `.gz` copy the build wrote next to a
 * file (scripts/vite-precompress.ts) when the client accepts it, with `Vary: Accept-Encoding`, else the file itself;
 * long-lived caching for the hashed files under `assets/`, revalidation for the rest. The copies are not routes of
 * their own.
 */
export function webStaticOptions(root: string) {
  return {
    root,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, filePath: string) => {
      const hashed = path.relative(root, filePath).split(path.sep)[0] === 'assets';
      reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATE);
    },
    globIgnore: ['**/*.br', '**/*.gz'],
  } satisfies FastifyStaticOptions;
}
