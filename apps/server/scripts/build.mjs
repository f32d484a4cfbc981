// Bundles the server (src/main.ts, with the workspace's @touchpoint/* sources) into dist/main.js for `npm start`:
// one file loads in a fraction of the time tsx needs to transpile ~300 modules at every start. npm dependencies stay
// external (resolved from node_modules as when running from source). `npm run dev`, the CLI bin and the tests keep
// running the TypeScript sources through tsx.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist');
const outfile = path.join(outdir, 'main.js');

/**
 * Modules locate files next to their source (migrations/, pglite-worker.mjs, the web and widget dist folders) with
 * `import.meta.url`, which in a bundle would be dist/main.js for all of them. Each source file's own URL is rebuilt
 * relative to the bundle, so those paths resolve exactly as they do from source.
 */
const sourceImportMetaUrl = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const rel = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

/** npm packages stay external; only our own workspace packages (consumed as TypeScript source) are bundled. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@touchpoint/') ? undefined : { path: args.path, external: true }));
  },
};

const started = performance.now();
await build({
  // Two entries: main.js (the CLI) and start.js (`npm start`: prestarts PGlite, then imports main). Splitting keeps
  // main's modules and npm imports in chunks that start.js loads only after the database worker is on its way.
  entryPoints: [path.join(root, 'src', 'main.ts'), path.join(root, 'src', 'start.ts')],
  outdir,
  splitting: true,
  chunkNames: 'chunk-[hash]', // beside the entries: the rewritten import.meta.url paths are relative to dist/
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [sourceImportMetaUrl, externalPackages],
});
process.stderr.write(`built ${path.relative(process.cwd(), outfile)} in ${Math.round(performance.now() - started)} ms\n`);
