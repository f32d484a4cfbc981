/// <reference lib="dom" />
// The web app as an agent meets it (issue 9, item 10): (1) the initial route's JavaScript, read from apps/web/dist
// (entry + its static imports, + the lazily loaded inbox route), raw / gzip -9 / brotli, against the 250 KB gzip
// goal; (2) the inbox's time to interactive over ~10,000 conversations in headless Chromium (cold browser cache per
// run), beside references measured in the same run. `npm run bench:web -- --help`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hashPassword } from '../apps/server/src/modules/accounts';
import { generateDataset } from './generate';
import { startEngine, type Engine, type EngineKind } from './lib/engine';
import { startWebFront } from './lib/web-front';
import { commitId, machineInfo } from './lib/report';
import { round } from './lib/stats';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WEB = path.join(ROOT, 'apps/web');
const DIST = path.join(WEB, 'dist');
const RESULTS_DIR = path.join(ROOT, 'bench/results');
const GOAL_GZIP_KB = 250;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 800 };
const PASSWORD = 'bench web inbox password';
const log = (line: string) => console.error(`[web] ${line}`);

const USAGE = `npm run bench:web -- [--engine pglite|pg|both] [--runs 5] [--scale 0.01] [--seed 42] [--pages 4]
  [--path /inbox] [--route inbox-page] [--no-build] [--size-only] [--modules]
  --scale 0.01 = 10,000 conversations in the main account (bench/generate.ts); the inbox opens on its default view.
  --route: name prefix of the lazily loaded route chunk counted with the initial JS.
  --modules: also build the web app (with source maps) into a temporary folder and sum minified bytes per package.
  PostgreSQL: a scratch database on BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.`;

interface Args {
  engines: EngineKind[];
  runs: number;
  scale: number;
  seed: number;
  pages: number;
  path: string;
  route: string;
  build: boolean;
  sizeOnly: boolean;
  modules: boolean;
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      engine: { type: 'string', default: 'pglite' },
      runs: { type: 'string', default: '5' },
      scale: { type: 'string', default: '0.01' },
      seed: { type: 'string', default: '42' },
      pages: { type: 'string', default: '4' },
      path: { type: 'string', default: '/inbox' },
      route: { type: 'string', default: 'inbox-page' },
      'no-build': { type: 'boolean', default: false },
      'size-only': { type: 'boolean', default: false },
      modules: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}\n${USAGE}`);
    return n;
  };
  const e = values.engine;
  if (e !== 'pg' && e !== 'pglite' && e !== 'both') throw new Error(`--engine must be pg, pglite or both\n${USAGE}`);
  return {
    engines: e === 'both' ? ['pglite', 'pg'] : [e],
    runs: num('runs', values.runs, 1),
    scale: num('scale', values.scale, 0.0001),
    seed: num('seed', values.seed, 0),
    pages: num('pages', values.pages, 0),
    path: values.path,
    route: values.route,
    build: !values['no-build'],
    sizeOnly: values['size-only'],
    modules: values.modules,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The build and its initial JavaScript
// ---------------------------------------------------------------------------------------------------------------

/** Newest modification time under a path (dist/ and node_modules/ skipped), as scripts/build-if-stale.mjs does. */
function newest(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of fs.readdirSync(p)) if (name !== 'dist' && name !== 'node_modules') max = Math.max(max, newest(path.join(p, name)));
  return max;
}

async function ensureBuild(): Promise<void> {
  const built = fs.existsSync(path.join(DIST, 'index.html')) ? fs.statSync(path.join(DIST, 'index.html')).mtimeMs : 0;
  const inputs = Math.max(newest(WEB), newest(path.join(ROOT, 'packages/shared/src')), newest(path.join(ROOT, 'package-lock.json')));
  if (built > inputs) return log('apps/web/dist is newer than its sources: not rebuilt');
  // Others may be editing apps/web: a failed build is retried once after a minute.
  for (let attempt = 1; ; attempt++) {
    log(built ? 'apps/web/dist is older than its sources: building' : 'apps/web/dist is missing: building');
    const run = spawnSync('npm', ['run', 'build', '-w', '@touchpoint/web'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status === 0) return;
    if (attempt === 2) throw new Error('the web build failed twice');
    log('build failed; retrying in 60 s');
    await new Promise((r) => setTimeout(r, 60_000));
  }
}

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

function sizeOf(file: string): FileSize {
  const data = fs.readFileSync(path.join(DIST, file));
  return {
    file,
    raw: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    // Quality 10: what scripts/vite-precompress.ts writes and the server sends.
    brotli: zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 10,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }).length,
  };
}

const total = (files: FileSize[]) => ({
  raw: files.reduce((s, f) => s + f.raw, 0),
  gzip: files.reduce((s, f) => s + f.gzip, 0),
  brotli: files.reduce((s, f) => s + f.brotli, 0),
});

/**
 * The relative modules a built chunk imports statically (`import{a as b}from"./x.js"`, `import"./x.js"`,
 * `export{..}from"./x.js"`, `export*from"./x.js"`), as paths under dist/. Dynamic `import("./x.js")` is left out:
 * after `import` comes `(`, not a clause or a quote. The statement must start the code or follow `;`, `}` or a line
 * break, which rules out `.import` properties; a specifier must name an existing file, which rules out text in strings.
 */
export function staticImports(code: string, fromFile: string): string[] {
  const out = new Set<string>();
  const re = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{][^"'`;()]*?from\s*)?["']([^"'\n]+)["']/g;
  for (const m of code.matchAll(re)) {
    const spec = m[1]!;
    if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
    const file = spec.startsWith('/') ? spec.slice(1) : path.posix.join(path.posix.dirname(fromFile), spec);
    if (fs.existsSync(path.join(DIST, file))) out.add(file);
  }
  return [...out];
}

/** Chunks a chunk loads lazily: `import("./x.js")` or import(`./x.js`). */
function dynamicImports(code: string, fromFile: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/\bimport\(\s*["'`](\.[^"'`]+)["'`]\s*\)/g)) {
    const file = path.posix.join(path.posix.dirname(fromFile), m[1]!);
    if (fs.existsSync(path.join(DIST, file))) out.add(file);
  }
  return [...out];
}

/** The chunk plus every chunk it reaches by static imports, in discovery order. */
function staticClosure(roots: string[]): string[] {
  const seen: string[] = [];
  const visit = (file: string) => {
    if (seen.includes(file)) return;
    seen.push(file);
    for (const dep of staticImports(fs.readFileSync(path.join(DIST, file), 'utf8'), file)) visit(dep);
  };
  roots.forEach(visit);
  return seen;
}

export interface BundleReport {
  indexHtml: string;
  entry: string;
  modulepreload: string[];
  /** Entry + its static import closure (what every route loads before rendering anything). */
  initial: FileSize[];
  initialTotal: { raw: number; gzip: number; brotli: number };
  /** The lazily loaded route chunk and its static imports not already in `initial`. */
  route: FileSize[];
  routeTotal: { raw: number; gzip: number; brotli: number };
  /** initial + route: the JavaScript the inbox needs before it is usable. */
  inboxTotal: { raw: number; gzip: number; brotli: number };
  css: FileSize[];
  allJs: { files: number; raw: number; gzip: number };
  goalGzipKB: number;
  goalMet: boolean;
  modulepreloadMatchesStaticImports: boolean;
}

function analyseBundle(routePrefix: string): BundleReport {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = [...html.matchAll(/<(?:script|link)\b[^>]*>/g)].map((m) => m[0]);
  const local = (href: string) => href.replace(/^\//, '');
  const entryTag = tags.find((t) => t.startsWith('<script') && /type="module"/.test(t) && attr(t, 'src'));
  if (!entryTag) throw new Error('no <script type="module" src> in apps/web/dist/index.html');
  const entry = local(attr(entryTag, 'src')!);
  const modulepreload = tags.filter((t) => /rel="modulepreload"/.test(t)).map((t) => local(attr(t, 'href')!));
  const stylesheets = tags.filter((t) => /rel="stylesheet"/.test(t)).map((t) => local(attr(t, 'href')!));

  const initialFiles = staticClosure([entry, ...modulepreload]);
  const entryCode = fs.readFileSync(path.join(DIST, entry), 'utf8');
  const lazy = dynamicImports(entryCode, entry).filter((f) => path.posix.basename(f).startsWith(`${routePrefix}-`));
  if (lazy.length === 0) throw new Error(`the entry chunk imports no lazy chunk named ${routePrefix}-*.js`);
  const routeFiles = staticClosure(lazy).filter((f) => !initialFiles.includes(f));
  const initial = initialFiles.map(sizeOf);
  const route = routeFiles.map(sizeOf);
  const allJsFiles = fs
    .readdirSync(path.join(DIST, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => sizeOf(`assets/${f}`));
  const inboxTotal = total([...initial, ...route]);
  const fromEntry = staticClosure([entry]).filter((f) => f !== entry);
  return {
    indexHtml: html,
    entry,
    modulepreload,
    initial,
    initialTotal: total(initial),
    route,
    routeTotal: total(route),
    inboxTotal,
    css: stylesheets.map(sizeOf),
    allJs: { files: allJsFiles.length, raw: total(allJsFiles).raw, gzip: total(allJsFiles).gzip },
    goalGzipKB: GOAL_GZIP_KB,
    goalMet: inboxTotal.gzip <= GOAL_GZIP_KB * 1024,
    modulepreloadMatchesStaticImports: fromEntry.length === modulepreload.length && fromEntry.every((f) => modulepreload.includes(f)),
  };
}

const kb = (bytes: number) => round(bytes / 1024, 1);

function printBundle(b: BundleReport): void {
  const rows: string[][] = [['file', 'raw KB', 'gzip KB', 'brotli KB']];
  const add = (label: string, f: { raw: number; gzip: number; brotli: number }) =>
    rows.push([label, String(kb(f.raw)), String(kb(f.gzip)), String(kb(f.brotli))]);
  for (const f of b.initial) add(`  ${f.file}${f.file === b.entry ? ' (entry)' : ''}`, f);
  add('initial JS (entry + static imports)', b.initialTotal);
  for (const f of b.route) add(`  ${f.file} (lazy route)`, f);
  add('inbox route chunks', b.routeTotal);
  add('TOTAL before the inbox is usable', b.inboxTotal);
  for (const f of b.css) add(`  ${f.file} (css, not counted)`, f);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n'));
  console.log(
    `goal: initial route JS <= ${b.goalGzipKB} KB gzip -> ${kb(b.inboxTotal.gzip)} KB: ${b.goalMet ? 'MET' : 'NOT MET'}` +
      ` (entry + static imports alone: ${kb(b.initialTotal.gzip)} KB); all ${b.allJs.files} JS chunks: ${kb(b.allJs.gzip)} KB gzip`,
  );
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Minified bytes per original source file of one chunk, from its source map (a segment spans from its column to the
 * next segment's, or to the end of the line); bytes mapped to no source count as "(unmapped)".
 */
export function bytesPerSource(code: string, map: { sources: string[]; mappings: string }): Map<string, number> {
  const out = new Map<string, number>();
  const add = (src: string, n: number) => n > 0 && out.set(src, (out.get(src) ?? 0) + n);
  const lines = code.split('\n');
  const mapLines = map.mappings.split(';');
  let source = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const segs: { col: number; src: number | null }[] = [];
    let col = 0;
    for (const seg of (mapLines[li] ?? '').split(',')) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0]!;
      if (fields.length >= 4) source += fields[1]!;
      segs.push({ col, src: fields.length >= 4 ? source : null });
    }
    // Byte lengths, not UTF-16 units: close enough for minified ASCII-heavy code, exact for ASCII.
    let covered = 0;
    segs.forEach((sg, i) => {
      const endCol = segs[i + 1]?.col ?? line.length;
      const n = Buffer.byteLength(line.slice(sg.col, endCol));
      covered += n;
      add(sg.src === null ? '(unmapped)' : (map.sources[sg.src] ?? '(unmapped)'), n);
    });
    add('(unmapped)', Buffer.byteLength(line) - covered + 1);
  }
  return out;
}

/** npm package name, or the folder of a repository file (apps/web/src/pages/inbox, packages/shared/src/contracts). */
function packageOf(absolute: string): string {
  const id = absolute.replace(/\\/g, '/');
  const nm = id.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = id.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (!path.isAbsolute(id)) return id;
  return path.relative(ROOT, path.dirname(id)).split(path.sep).slice(0, 5).join('/') || id;
}

export interface PackageBytes {
  package: string;
  /** Minified bytes in the entry + its static imports / in the inbox route chunks. */
  initial: number;
  route: number;
  /** Its share of each chunk's gzip size (gzip does not split: an estimate). */
  gzipEstimate: number;
}

/**
 * Per-package minified bytes of the initial route's chunks: the web app built again, with source maps, into a
 * temporary folder (apps/web/dist is not touched); chunks matched to apps/web/dist's by name without the hash.
 */
async function moduleBreakdown(initialFiles: string[], routeFiles: string[]): Promise<PackageBytes[]> {
  const { build } = await import('vite');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-web-modules-'));
  const stem = (f: string) => path.posix.basename(f).replace(/-[\w-]{8}\.js$/, '');
  const initial = new Set(initialFiles.map(stem));
  const route = new Set(routeFiles.map(stem));
  const out = new Map<string, PackageBytes>();
  try {
    await build({
      root: WEB,
      configFile: path.join(WEB, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: true },
    });
    const assets = path.join(outDir, 'assets');
    for (const f of fs.readdirSync(assets).filter((x) => x.endsWith('.js'))) {
      const where = initial.has(stem(f)) ? 'initial' : route.has(stem(f)) ? 'route' : null;
      if (!where) continue;
      const code = fs.readFileSync(path.join(assets, f), 'utf8');
      const map = JSON.parse(fs.readFileSync(path.join(assets, `${f}.map`), 'utf8')) as { sources: string[]; mappings: string };
      const gzipPerByte = zlib.gzipSync(code, { level: 9 }).length / Buffer.byteLength(code);
      for (const [src, n] of bytesPerSource(code, map)) {
        const key = src === '(unmapped)' ? src : packageOf(path.resolve(assets, src));
        const e = out.get(key) ?? { package: key, initial: 0, route: 0, gzipEstimate: 0 };
        e[where] += n;
        e.gzipEstimate += n * gzipPerByte;
        out.set(key, e);
      }
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  return [...out.values()]
    .map((e) => ({ ...e, gzipEstimate: Math.round(e.gzipEstimate) }))
    .sort((a, b) => b.initial + b.route - (a.initial + a.route));
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The inbox in Chromium
// ---------------------------------------------------------------------------------------------------------------

interface Probe {
  firstRowDom: number;
  firstRow: number;
  rect: { x: number; y: number } | null;
  clickAt: number;
  threadDom: number;
  thread: number;
  loginForm: number;
  lcp: number;
  longTasks: [number, number][];
}

declare global {
  interface Window {
    __tpBench: Probe;
  }
}

/**
 * Installed before any script of every document (performance.now() counts from its navigation start): the first
 * conversation row laid out, the frame after it, the first click (the input event's own timestamp), the first
 * message of the thread after it, the login form, LCP and long tasks.
 */
function probe(): void {
  const s: Probe = {
    firstRowDom: 0,
    firstRow: 0,
    rect: null,
    clickAt: 0,
    threadDom: 0,
    thread: 0,
    loginForm: 0,
    lcp: 0,
    longTasks: [],
  };
  window.__tpBench = s;
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) s.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) s.lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch {
    // an observer type this browser lacks: the figure stays 0
  }
  document.addEventListener('click', (e) => (s.clickAt ||= e.timeStamp), true);
  const check = () => {
    if (!s.firstRowDom) {
      const row = document.querySelector('[data-testid="conversation-list"] [data-conversation-id]');
      if (row && row.getBoundingClientRect().height > 0) {
        s.firstRowDom = performance.now();
        requestAnimationFrame(() => {
          s.firstRow = performance.now();
          const r = row.getBoundingClientRect();
          s.rect = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        });
      }
    }
    if (s.clickAt && !s.threadDom && document.querySelector('[data-testid="thread"] .message')) {
      s.threadDom = performance.now();
      requestAnimationFrame(() => (s.thread = performance.now()));
    }
    if (!s.loginForm && document.querySelector('form input[type="email"]')) {
      s.loginForm = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}
// tsx (esbuild, keepNames) wraps named functions in `__name(...)`, a helper the page lacks: give it one, for the
// probe and for the functions page.evaluate() serialises.
const PROBE = `globalThis.__name ??= (f) => f; (${probe.toString()})();`;

interface InboxRun {
  firstRowMs: number;
  firstRowDomMs: number;
  clickToThreadMs: number;
  /** firstRow + clickToThread: the harness's own wait between seeing the row and clicking is left out. */
  interactiveMs: number;
  threadAbsMs: number;
  fcpMs: number;
  lcpMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  longTasksToInteractive: number;
  /** Sum of (long task - 50 ms) from navigation start until the thread is shown. */
  blockingMsToInteractive: number;
  jsHeapUsedMB: number;
  jsHeapUsedAfterScrollMB: number;
  domNodes: number;
  domNodesAfterScroll: number;
  rowsInDom: number;
  rowsInDomAfterScroll: number;
  /** Rows loaded after scrolling: the first page and `--pages` more (each waited for), 25 per page. */
  loadedRowsAfterScroll: number;
  highestRenderedIndex: number;
  pageMs: number[];
  /** Scripts the page fetched before the first row / before the thread: transfer (brotli) and decoded bytes. */
  scriptsBeforeFirstRow: { files: number; transferKB: number; decodedKB: number };
  scriptsBeforeThread: { files: number; transferKB: number; decodedKB: number; names: string[] };
  /** The API calls made before the first row, with their duration in the browser. */
  apiBeforeFirstRow: { method: string; url: string; ms: number; start: number; end: number }[];
  /** The API calls between the click and the thread (method from the request log: only GETs are replayed as references). */
  apiAfterClick: { method: string; url: string; ms: number; start: number; end: number }[];
  apiPageMs: number[];
  /** Every request before the first row: start and end (ms from navigation start), to read the critical path. */
  waterfall: { name: string; start: number; end: number }[];
}

async function cdpMetrics(context: BrowserContext, page: Page): Promise<Record<string, number>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  await cdp.detach();
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

const waitProbe = async <K extends keyof Probe>(page: Page, key: K, timeout = 60_000): Promise<NonNullable<Probe[K]>> =>
  (await (
    await page.waitForFunction((k) => window.__tpBench?.[k as keyof Probe], key, { timeout, polling: 'raf' })
  ).jsonValue()) as NonNullable<Probe[K]>;

/**
 * What went wrong on a page, for the error message, and a promise that rejects as soon as the document or one of
 * the built assets answers an error (apps/web/dist being rebuilt by someone else), instead of after the timeout.
 */
function watch(page: Page, origin: string) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('requestfailed', (r) => problems.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  const broken = new Promise<never>((_, reject) =>
    page.on('response', (r) => {
      if (r.status() < 400) return;
      problems.push(`${r.status()} ${r.url()}`);
      const u = new URL(r.url());
      if (u.origin === origin && !u.pathname.startsWith('/api/')) reject(new Error(`BUILD ${r.status()} ${u.pathname}`));
    }),
  );
  broken.catch(() => {});
  const fail = async (what: string, err: unknown): Promise<never> => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const shot = path.join(RESULTS_DIR, `web-inbox-failure-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    const text = await page.evaluate(() => document.body?.innerText.slice(0, 600)).catch(() => '?');
    throw new Error(
      `${what} at ${page.url()} (${String(err).slice(0, 200)}; screenshot ${path.relative(ROOT, shot)}): ${JSON.stringify(text)}; ${problems.join(' | ') || 'no page errors'}`,
      { cause: err },
    );
  };
  return { broken, fail };
}

async function inboxRun(browser: Browser, origin: string, cookie: string, pathname: string, pages: number): Promise<InboxRun> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
  try {
    await context.addCookies([{ name: 'tp_session', value: cookie, url: origin }]);
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    const methods = new Map<string, string>();
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) methods.set(u.pathname + u.search, r.method());
    });
    const { broken, fail } = watch(page, origin);
    await page.goto(`${origin}${pathname}`, { waitUntil: 'commit' });
    try {
      const rect = await Promise.race([waitProbe(page, 'rect'), broken]);
      await page.mouse.click(rect.x, rect.y);
      await Promise.race([waitProbe(page, 'thread'), broken]);
    } catch (err) {
      await fail('the inbox did not become usable', err);
    }
    const heap = await cdpMetrics(context, page);
    const at = await page.evaluate(() => {
      const s = window.__tpBench;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const scripts = (until: number) => res.filter((r) => r.initiatorType !== 'fetch' && /\.js(\?|$)/.test(r.name) && r.startTime < until);
      const sum = (rs: PerformanceResourceTiming[]) => ({
        files: rs.length,
        transferKB: Math.round(rs.reduce((a, r) => a + r.transferSize, 0) / 102.4) / 10,
        decodedKB: Math.round(rs.reduce((a, r) => a + r.decodedBodySize, 0) / 102.4) / 10,
      });
      const api = (from: number, until: number) =>
        res
          .filter((r) => r.name.includes('/api/v1/') && r.startTime >= from && r.startTime < until)
          .map((r) => ({
            url: new URL(r.name).pathname + new URL(r.name).search,
            ms: Math.round(r.duration * 10) / 10,
            start: Math.round(r.startTime),
            end: Math.round(r.responseEnd),
          }));
      const untilThread = s.thread;
      const long = s.longTasks.filter(([start]) => start < untilThread);
      return {
        probe: s,
        fcp,
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        rows: document.querySelectorAll('[data-testid="conversation-list"] [data-conversation-id]').length,
        scriptsBeforeFirstRow: sum(scripts(s.firstRow)),
        scriptsBeforeThread: { ...sum(scripts(s.thread)), names: scripts(s.thread).map((r) => new URL(r.name).pathname) },
        apiBeforeFirstRow: api(0, s.firstRowDom),
        apiAfterClick: api(s.clickAt, s.threadDom),
        waterfall: res
          .filter((r) => r.startTime < s.firstRow)
          .map((r) => ({
            name: new URL(r.name).pathname.replace(/^\/assets\//, '') + new URL(r.name).search,
            start: Math.round(r.startTime),
            end: Math.round(r.responseEnd),
          })),
        longTasks: long.length,
        blocking: long.reduce((a, [, d]) => a + Math.max(0, d - 50), 0),
      };
    });
    // Infinite scroll: to the end of the list, until a row of the next page is rendered.
    const pageMs: number[] = [];
    for (let k = 1; k <= pages; k++) {
      const ms = await page.evaluate(async (loaded) => {
        const scroller = document.querySelector('.list-scroll')!;
        const t0 = performance.now();
        scroller.scrollTop = scroller.scrollHeight;
        const hasRow = () => document.querySelector(`[data-testid="conversation-list"] li[data-index="${loaded}"]`);
        for (;;) {
          await new Promise((r) => requestAnimationFrame(r));
          if (hasRow()) return performance.now() - t0;
          if (performance.now() - t0 > 30_000) throw new Error(`no row ${loaded} within 30 s`);
          // Keep at the end as rows get measured and the list grows.
          scroller.scrollTop = scroller.scrollHeight;
        }
      }, 25 * k);
      pageMs.push(round(ms, 1));
    }
    const after = await page.evaluate((n) => {
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const lists = res.filter((r) => /\/api\/v1\/conversations\?/.test(r.name));
      const idx = [...document.querySelectorAll('[data-testid="conversation-list"] li[data-index]')].map((li) =>
        Number((li as HTMLElement).dataset.index),
      );
      return {
        rows: document.querySelectorAll('[data-testid="conversation-list"] [data-conversation-id]').length,
        highest: Math.max(...idx),
        apiPageMs: lists.slice(-n).map((r) => Math.round(r.duration * 10) / 10),
      };
    }, pages);
    const heapAfter = await cdpMetrics(context, page);
    const p = at.probe;
    const clickToThread = p.thread - p.clickAt;
    return {
      firstRowMs: round(p.firstRow, 1),
      firstRowDomMs: round(p.firstRowDom, 1),
      clickToThreadMs: round(clickToThread, 1),
      interactiveMs: round(p.firstRow + clickToThread, 1),
      threadAbsMs: round(p.thread, 1),
      fcpMs: round(at.fcp, 1),
      lcpMs: round(p.lcp, 1),
      domContentLoadedMs: round(at.dcl, 1),
      loadMs: round(at.load, 1),
      longTasksToInteractive: at.longTasks,
      blockingMsToInteractive: round(at.blocking, 1),
      jsHeapUsedMB: round((heap.JSHeapUsedSize ?? 0) / 2 ** 20, 1),
      jsHeapUsedAfterScrollMB: round((heapAfter.JSHeapUsedSize ?? 0) / 2 ** 20, 1),
      domNodes: heap.Nodes ?? 0,
      domNodesAfterScroll: heapAfter.Nodes ?? 0,
      rowsInDom: at.rows,
      rowsInDomAfterScroll: after.rows,
      loadedRowsAfterScroll: 25 * (pages + 1),
      highestRenderedIndex: after.highest,
      pageMs,
      scriptsBeforeFirstRow: at.scriptsBeforeFirstRow,
      scriptsBeforeThread: at.scriptsBeforeThread,
      apiBeforeFirstRow: at.apiBeforeFirstRow.map((a) => ({ method: methods.get(a.url) ?? '?', ...a })),
      apiAfterClick: at.apiAfterClick.map((a) => ({ method: methods.get(a.url) ?? '?', ...a })),
      apiPageMs: after.apiPageMs,
      waterfall: at.waterfall,
    };
  } finally {
    await context.close();
  }
}

/** Reference: a cold context loading a page with no app on it (`/healthz`, JSON): navigation start -> load. */
async function emptyPageRun(browser: Browser, origin: string): Promise<number> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/healthz`, { waitUntil: 'load' });
    return round(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd), 1);
  } finally {
    await context.close();
  }
}

/** Reference: the same app shell and initial JS, signed out, to the login form (no data, no inbox chunks). */
async function loginPageRun(browser: Browser, origin: string): Promise<number> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
  try {
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    const { broken, fail } = watch(page, origin);
    await page.goto(`${origin}/login`, { waitUntil: 'commit' });
    try {
      return round(await Promise.race([waitProbe(page, 'loginForm'), broken]), 1);
    } catch (err) {
      return await fail('the login form did not show', err);
    }
  } finally {
    await context.close();
  }
}

/** Reference: the same GET the browser made, from Node with the same cookie (sequential; 3 warm-up calls). */
async function apiTime(origin: string, cookie: string, url: string, n = 20): Promise<{ p50: number; p90: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(`${origin}${url}`, { headers: { cookie: `tp_session=${cookie}`, 'accept-encoding': 'br, gzip' } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
    if (i >= 3) times.push(performance.now() - t0);
    bytes = body.byteLength;
  }
  return { p50: round(quantile(times, 0.5), 1), p90: round(quantile(times, 0.9), 1), bytes };
}

/** Nearest-rank quantile: of 5 runs, p50 is the 3rd value and p90 the 5th (the slowest). */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
}

interface EngineResult {
  engine: EngineKind;
  version: string;
  durability: string;
  dataset: { conversations: number; messages: number; agents: number; customers: number; openInView: number };
  signedInAs: string;
  runs: InboxRun[];
  warmup: InboxRun;
  refs: {
    apiBoot: { url: string; p50: number; p90: number; bytes: number }[];
    emptyPageLoadMs: number[];
    loginFormMs: number[];
    apiList: { url: string; p50: number; p90: number; bytes: number };
    apiOpen: { url: string; p50: number; p90: number; bytes: number }[];
  };
  summary: Record<string, { p50: number; p90: number; ref?: number; refLabel?: string; ratio?: number }>;
  /** The build these runs were served (analysed when the front started), and how many starts that took. */
  bundle: Omit<BundleReport, 'indexHtml'>;
  attempts: number;
}

/** Waits (up to 5 minutes) until apps/web/dist/index.html exists and has not changed for 10 s: no build under way. */
async function settledBuild(): Promise<void> {
  const file = path.join(DIST, 'index.html');
  for (const started = Date.now(); Date.now() - started < 300_000;) {
    const age = fs.existsSync(file) ? Date.now() - fs.statSync(file).mtimeMs : -1;
    if (age >= 10_000) return;
    await new Promise((r) => setTimeout(r, age < 0 ? 5_000 : 10_000 - age));
  }
  throw new Error('apps/web/dist did not settle within 5 minutes');
}

/**
 * The warm-up and the measured runs, on an HTTP node booted after the build was sized (lib/web-front.ts). If someone
 * rebuilds apps/web/dist meanwhile (the document or an asset answers an error), every run so far is discarded and the set starts again on
 * a new node, at most 3 times.
 */
async function measureOnFreshFront(engine: Engine, browser: Browser, cookie: string, args: Args, kind: EngineKind) {
  for (let attempt = 1; ; attempt++) {
    await settledBuild();
    const { indexHtml, ...bundle } = analyseBundle(args.route);
    const front = await startWebFront(engine);
    try {
      log(`${kind}: web node ${front.origin} on build ${bundle.entry}; warm-up run (server caches, not counted)`);
      const warmup = await inboxRun(browser, front.origin, cookie, args.path, args.pages);
      const runs: InboxRun[] = [];
      const emptyPage: number[] = [];
      const loginForm: number[] = [];
      // Interleaved, so the box's load drifts over the references and ours alike.
      for (let i = 1; i <= args.runs; i++) {
        emptyPage.push(await emptyPageRun(browser, front.origin));
        loginForm.push(await loginPageRun(browser, front.origin));
        const r = await inboxRun(browser, front.origin, cookie, args.path, args.pages);
        runs.push(r);
        log(
          `${kind} run ${i}: first row ${r.firstRowMs} ms, click -> thread ${r.clickToThreadMs} ms, rows in DOM ${r.rowsInDom} -> ${r.rowsInDomAfterScroll} (${r.loadedRowsAfterScroll} loaded), pages ${r.pageMs.join('/')} ms; refs: /healthz ${emptyPage.at(-1)} ms, login form ${loginForm.at(-1)} ms`,
        );
      }
      // A rebuild during the last run: its files may not be the ones sized.
      const html = path.join(DIST, 'index.html');
      if ((fs.existsSync(html) ? fs.readFileSync(html, 'utf8') : '') !== indexHtml)
        throw new Error('BUILD 0 index.html changed during the runs');
      return { warmup, runs, emptyPage, loginForm, front, bundle, attempts: attempt };
    } catch (err) {
      await front.close();
      if (attempt >= 3 || !/\bBUILD \d+ /.test(String(err))) throw err;
      log(`${kind}: ${String(err).slice(0, 200)} (apps/web/dist rebuilt by someone else?): starting the runs again in 20 s`);
      await new Promise((r) => setTimeout(r, 20_000));
    }
  }
}

async function runEngine(kind: EngineKind, args: Args): Promise<EngineResult> {
  log(`${kind}: starting`);
  if (kind === 'pg' && !process.env.BENCH_DATABASE_URL && process.env.DATABASE_URL)
    process.env.BENCH_DATABASE_URL = process.env.DATABASE_URL;
  const engine: Engine = await startEngine(kind, { poolSize: 10, workers: true, log: (l) => log(`${kind}: ${l}`) });
  const interrupt = () => {
    log('interrupted: closing the engine (and dropping its database)');
    void engine.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  let browser: Browser | undefined;
  try {
    log(`${kind}: ${engine.version}; ${engine.durability}; server ${engine.origin}`);
    const dataset = await generateDataset(engine.database.pool, { scale: args.scale, seed: args.seed, log: (l) => log(`${kind}: ${l}`) });
    // The account's owner (agent 0) gets a password and signs in through the real login route.
    const { rows } = await engine.database.pool.query<{ email: string }>(
      `update users set password_hash = $1 where id = $2 returning email`,
      [await hashPassword(PASSWORD), dataset.agentIds[0]],
    );
    const email = rows[0]!.email;
    const login = await fetch(`${engine.origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`login -> ${login.status}: ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('tp_session='))
      ?.split(';')[0]
      ?.slice('tp_session='.length);
    if (!cookie) throw new Error('login set no tp_session cookie');
    const open = await engine.database.pool.query<{ n: number }>(
      `select count(*)::int as n from conversations where account_id = $1 and status = 'open'`,
      [dataset.accountId],
    );

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const measured = await measureOnFreshFront(engine, browser, cookie, args, kind);
    const { warmup, runs, emptyPage, loginForm, front } = measured;
    const listUrl = warmup.apiBeforeFirstRow.find((a) => /\/api\/v1\/conversations\?/.test(a.url))?.url;
    if (!listUrl)
      throw new Error(
        `the inbox made no GET /api/v1/conversations? call before its first row: ${JSON.stringify(warmup.apiBeforeFirstRow)}`,
      );
    const apiList = { url: listUrl, ...(await apiTime(front.origin, cookie, listUrl)) };
    // Every GET the runs made before the first row, and after the click, replayed one at a time from Node.
    const gets = (list: { method: string; url: string }[]) => [...new Set(list.filter((a) => a.method === 'GET').map((a) => a.url))];
    const apiBoot: EngineResult['refs']['apiBoot'] = [];
    for (const url of gets(runs.flatMap((r) => r.apiBeforeFirstRow))) apiBoot.push({ url, ...(await apiTime(front.origin, cookie, url)) });
    const apiOpen: EngineResult['refs']['apiOpen'] = [];
    for (const url of gets(runs.flatMap((r) => r.apiAfterClick))) apiOpen.push({ url, ...(await apiTime(front.origin, cookie, url)) });
    await front.close();

    const stat = (values: number[]) => ({ p50: round(quantile(values, 0.5), 1), p90: round(quantile(values, 0.9), 1) });
    const col = <K extends keyof InboxRun>(k: K) => runs.map((r) => r[k] as number);
    const loginP50 = quantile(loginForm, 0.5);
    // What the thread waits for: the conversation and its messages (the other calls of the click are side panels).
    const threadCalls = apiOpen.filter((a) => /^\/api\/v1\/conversations\/[^/?]+(\/messages)?(\?|$)/.test(a.url));
    const openRef = threadCalls.reduce((s, a) => s + a.p50, 0);
    const bootRef = apiBoot.reduce((s, a) => s + a.p50, 0);
    // In the browser: from the first API call's start to the last one's end before the first row.
    const bootSpan = runs.map((r) =>
      r.apiBeforeFirstRow.length
        ? Math.max(...r.apiBeforeFirstRow.map((a) => a.end)) - Math.min(...r.apiBeforeFirstRow.map((a) => a.start))
        : 0,
    );
    const allPages = runs.flatMap((r) => r.pageMs);
    const withRef = (v: { p50: number; p90: number }, ref: number, refLabel: string) => ({
      ...v,
      ref: round(ref, 1),
      refLabel,
      ratio: round(v.p50 / ref, 2),
    });
    const summary: EngineResult['summary'] = {
      firstRowMs: withRef(stat(col('firstRowMs')), loginP50, 'login form, same run'),
      clickToThreadMs: withRef(stat(col('clickToThreadMs')), openRef, `GET conversation + messages from Node`),
      bootApiSpanMs: withRef(stat(bootSpan), bootRef, `its ${apiBoot.length} GETs, one at a time from Node`),
      interactiveMs: withRef(stat(col('interactiveMs')), loginP50, 'login form, same run'),
      fcpMs: stat(col('fcpMs')),
      lcpMs: stat(col('lcpMs')),
      domContentLoadedMs: withRef(stat(col('domContentLoadedMs')), quantile(emptyPage, 0.5), 'GET /healthz page load'),
      loadMs: withRef(stat(col('loadMs')), quantile(emptyPage, 0.5), 'GET /healthz page load'),
      blockingMsToInteractive: stat(col('blockingMsToInteractive')),
      jsHeapUsedMB: stat(col('jsHeapUsedMB')),
      jsHeapUsedAfterScrollMB: stat(col('jsHeapUsedAfterScrollMB')),
      rowsInDom: stat(col('rowsInDom')),
      rowsInDomAfterScroll: stat(col('rowsInDomAfterScroll')),
      domNodes: stat(col('domNodes')),
      domNodesAfterScroll: stat(col('domNodesAfterScroll')),
      pageMs: withRef(stat(allPages), apiList.p50, 'GET list page from Node'),
      apiListInBrowserMs: withRef(
        stat(runs.map((r) => r.apiBeforeFirstRow.find((a) => a.url === listUrl)?.ms ?? 0)),
        apiList.p50,
        'same GET from Node',
      ),
    };
    return {
      engine: kind,
      version: engine.version,
      durability: engine.durability,
      dataset: { ...dataset.counts, openInView: open.rows[0]!.n },
      signedInAs: `${email} (owner)`,
      runs,
      warmup,
      refs: { emptyPageLoadMs: emptyPage, loginFormMs: loginForm, apiList, apiBoot, apiOpen },
      summary,
      bundle: measured.bundle,
      attempts: measured.attempts,
    };
  } finally {
    process.off('SIGINT', interrupt);
    await browser?.close();
    await engine.close();
  }
}

function printEngine(e: EngineResult): void {
  console.log(
    `\n${e.engine}: ${e.version}; ${e.dataset.conversations.toLocaleString('en')} conversations (${e.dataset.openInView} open in the default view), ${e.runs.length} runs`,
  );
  const rows: string[][] = [['figure', 'p50', 'p90', 'reference (p50)', 'ratio']];
  for (const [k, v] of Object.entries(e.summary))
    rows.push([
      k,
      String(v.p50),
      String(v.p90),
      v.ref === undefined ? '' : `${v.ref} (${v.refLabel})`,
      v.ratio === undefined ? '' : String(v.ratio),
    ]);
  const w = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(rows.map((r) => r.map((c, i) => (i === 0 || i === 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n'));
  const short = (u: string) => u.replace('/api/v1/', '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
  console.log(`boot GETs from Node, p50 ms: ${e.refs.apiBoot.map((a) => `${short(a.url)} ${a.p50}`).join(', ')}`);
  console.log(`click GETs from Node, p50 ms: ${e.refs.apiOpen.map((a) => `${short(a.url)} ${a.p50}`).join(', ')}`);
  const s = e.runs[0]!.scriptsBeforeThread;
  console.log(`scripts fetched before the thread: ${s.files} files, ${s.transferKB} KB transferred (brotli), ${s.decodedKB} KB decoded`);
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const started = new Date();
  const machine = machineInfo();
  const commit = commitId();
  const loadavg = () => os.loadavg().map((l) => round(l));
  log(`nproc ${machine.nproc}, ${machine.cpu}, node ${machine.node}, commit ${commit}, load average ${loadavg().join(' ')}`);
  if (args.build) await ensureBuild();
  const bundle = analyseBundle(args.route);
  printBundle(bundle);
  if (!bundle.modulepreloadMatchesStaticImports) log("note: the modulepreload links differ from the entry chunk's static imports");
  const modules = args.modules
    ? await moduleBreakdown(
        bundle.initial.map((f) => f.file),
        bundle.route.map((f) => f.file),
      )
    : undefined;
  if (modules) {
    console.log('\nminified KB per package (source maps of a separate build) in initial / route chunks, gzip share estimated:');
    for (const m of modules.slice(0, 25))
      console.log(
        `  ${m.package.padEnd(44)} ${String(kb(m.initial)).padStart(7)} ${String(kb(m.route)).padStart(7)}   gzip ~${kb(m.gzipEstimate)}`,
      );
  }
  const engines: EngineResult[] = [];
  const loadBefore = loadavg();
  if (!args.sizeOnly) for (const kind of args.engines) engines.push(await runEngine(kind, args));
  for (const e of engines) printEngine(e);
  // The static analysis above against what the browser fetched before the thread was shown.
  const scriptsMatch = engines.map((e) => {
    if (e.bundle.entry !== bundle.entry) {
      console.log(`\n${e.engine} ran on a newer build than the one sized above (${e.bundle.entry}):`);
      printBundle({ ...e.bundle, indexHtml: '' });
    }
    const expected = [...e.bundle.initial, ...e.bundle.route].map((f) => `/${f.file}`).sort();
    const seen = [...e.runs[0]!.scriptsBeforeThread.names].sort();
    const same = seen.length === expected.length && seen.every((n, i) => n === expected[i]);
    console.log(
      `${e.engine}: scripts fetched before the thread ${same ? 'match' : 'DIFFER from'} the static analysis (${seen.length} vs ${expected.length} files)`,
    );
    return { engine: e.engine, same, seen, expected };
  });
  const seconds = round((Date.now() - started.getTime()) / 1000, 1);
  const { indexHtml: _html, ...bundleOut } = bundle;
  for (const e of engines)
    console.log(
      JSON.stringify({
        workload: 'web-inbox',
        engine: e.engine,
        ours: e.summary.interactiveMs!.p50,
        ref: e.summary.interactiveMs!.ref,
        ratio: e.summary.interactiveMs!.ratio,
        p50: e.summary.interactiveMs!.p50,
        p90: e.summary.interactiveMs!.p90,
        unit: 'ms',
        initialJsGzipKB: kb(e.bundle.inboxTotal.gzip),
        machine: { nproc: machine.nproc, node: machine.node, pg: e.version, durability: e.durability },
        commit,
      }),
    );
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `web-inbox-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const report = {
    workload: 'web-inbox',
    startedAt: started.toISOString(),
    seconds,
    args,
    machine,
    commit,
    loadavg: { before: loadBefore, after: loadavg() },
    chromium: { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: VIEWPORT },
    scriptsMatch,
    bundle: bundleOut,
    modules,
    engines,
  };
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  log(`wrote ${path.relative(ROOT, file)} (total ${seconds} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
