#!/usr/bin/env node
// `npm test` and `npm start` need the web app and the widget built (the server serves their dist/). Building takes
// a few seconds; this skips an app whose outputs are newer than every one of its inputs (its own files and
// packages/shared), so running the suite twice (CI: PGlite, then PostgreSQL) builds once. `npm run build` always
// builds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const APPS = [
  { workspace: '@touchpoint/web', dir: 'apps/web', outputs: ['dist/index.html'] },
  { workspace: '@touchpoint/widget', dir: 'apps/widget', outputs: ['dist/widget.js', 'dist/frame.js'] },
];
const SHARED_INPUTS = ['packages/shared/src', 'packages/shared/package.json', 'package-lock.json'];
const SKIP = new Set(['dist', 'node_modules']);

/** The newest modification time under a file or folder (0 when it does not exist). */
function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs; // a deleted file changes its folder
  for (const name of fs.readdirSync(p)) if (!SKIP.has(name)) max = Math.max(max, newest(path.join(p, name)));
  return max;
}

/** The oldest output's modification time (0 when one is missing). */
function oldest(files) {
  let min = Infinity;
  for (const f of files) {
    try {
      min = Math.min(min, fs.statSync(f).mtimeMs);
    } catch {
      return 0;
    }
  }
  return min;
}

const shared = Math.max(...SHARED_INPUTS.map((p) => newest(path.join(root, p))));
for (const app of APPS) {
  const built = oldest(app.outputs.map((o) => path.join(root, app.dir, o)));
  const changed = Math.max(shared, newest(path.join(root, app.dir)));
  if (built > changed) {
    console.log(`${app.workspace}: up to date (dist/ is newer than its sources), not rebuilt`);
    continue;
  }
  const run = spawnSync('npm', ['run', 'build', '-w', app.workspace], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
