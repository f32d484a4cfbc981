// A Vite plugin for the web app and the widget: after a build writes its files, it writes a brotli (`.br`) and a gzip
// (`.gz`) copy next to each text file of at least 1 KB, at levels too slow to run per request (brotli 10, gzip 9).
// The server sends a copy instead of the file when the client accepts it (@fastify/static `preCompressed`;
// docs/operations.md#compression-and-caching). node:zlib only.
//
// Brotli 10, not 11: on the web app's 850 KB of JS and CSS, 11 is 2% smaller than 10 but takes ~5x the CPU (seconds
// on every `npm start`, which builds first); 10 is 5% smaller than 9 for ~2.5x. Measured in docs/performance.md.
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const TEXT = /\.(?:m?js|css|html|svg|json|txt)$/;
const MIN_BYTES = 1024;

async function writeCopies(file: string): Promise<void> {
  const data = await fs.readFile(file);
  if (data.length < MIN_BYTES) return;
  const [br, gz] = await Promise.all([
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 10,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  // A copy that is not smaller is not worth a request's content negotiation.
  await Promise.all([
    br.length < data.length ? fs.writeFile(`${file}.br`, br) : fs.rm(`${file}.br`, { force: true }),
    gz.length < data.length ? fs.writeFile(`${file}.gz`, gz) : fs.rm(`${file}.gz`, { force: true }),
  ]);
}

export function precompress(): Plugin {
  return {
    name: 'touchpoint:precompress',
    apply: 'build',
    async writeBundle(output, bundle) {
      const dir = output.dir ?? (output.file ? path.dirname(output.file) : null);
      if (!dir) return;
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => TEXT.test(name))
          .map((name) => writeCopies(path.join(dir, name))),
      );
    },
  };
}
