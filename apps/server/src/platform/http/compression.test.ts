import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from '../../../test/factories';
import { useTestApp } from '../../../test/harness';
import { startConversation } from '../../../test/rows';
import { openFrameSocket } from '../../../test/ws-frames';
import { IMMUTABLE, REVALIDATE } from './static-files';

const t = useTestApp();
const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist');

let base: string;
beforeAll(async () => {
  base = await t().app.listen({ port: 0, host: '127.0.0.1' });
});

/** A real HTTP request with exactly these headers (fetch would add its own Accept-Encoding and decode the answer). */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${base}${url}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

function decode(res: { headers: http.IncomingHttpHeaders; body: Buffer }): string {
  const enc = res.headers['content-encoding'];
  const raw = enc === 'br' ? zlib.brotliDecompressSync(res.body) : enc === 'gzip' ? zlib.gunzipSync(res.body) : res.body;
  return raw.toString('utf8');
}

describe('compression of API answers', () => {
  let acc: TestAccount;
  beforeAll(async () => {
    acc = await createAccount(t());
    for (let i = 0; i < 6; i++) await startConversation(t(), acc.owner.headers, { subject: `Order ${i} has not arrived yet` });
  });

  it('sends a large JSON answer with brotli or gzip as asked, and as it is to a client that asks for neither', async () => {
    const plain = await get('/api/v1/conversations', acc.owner.headers);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const list = JSON.parse(plain.body.toString()).data;
    expect(list).toHaveLength(6);

    const br = await get('/api/v1/conversations', { ...acc.owner.headers, 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(decode(br)).data).toEqual(list);

    const gz = await get('/api/v1/conversations', { ...acc.owner.headers, 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(gz)).data).toEqual(list);

    const identity = await get('/api/v1/conversations', { ...acc.owner.headers, 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
  });

  it('leaves small answers and problem+json under 1 KB alone', async () => {
    for (const url of ['/api/v1/me', '/api/v1/nothing-here']) {
      const res = await get(url, { ...acc.owner.headers, 'accept-encoding': 'br, gzip' });
      expect(res.body.length, url).toBeLessThan(1024);
      expect(res.headers['content-encoding'], url).toBeUndefined();
    }
    expect((await get('/healthz', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
  });

  it('opens WebSockets as before for a client that accepts brotli', async () => {
    const { socket } = await openFrameSocket(`${base.replace('http', 'ws')}/api/v1/realtime`, {
      headers: { ...acc.owner.headers, 'accept-encoding': 'gzip, deflate, br' },
    });
    socket.close();
  });
});

describe('compression and caching of static files', () => {
  it('sends /widget.js compressed, with its short cache', async () => {
    const plain = await get('/widget.js');
    expect(plain.status).toBe(200);
    const br = await get('/widget.js', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=300');
    expect(decode(br)).toBe(plain.body.toString());
    // From the build's precompressed copies when they exist; an encoding refused with q=0 is not used.
    const widgetDist = path.join(webDist, '../../widget/dist');
    if (fs.existsSync(path.join(widgetDist, 'widget.js.br')))
      expect(br.body.equals(fs.readFileSync(path.join(widgetDist, 'widget.js.br')))).toBe(true);
    const gz = await get('/widget.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decode(gz)).toBe(plain.body.toString());
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('sends the web app’s hashed assets from their precompressed copies, cached for a year; index.html revalidated', async () => {
    expect(fs.existsSync(path.join(webDist, 'index.html')), 'build the web app first: npm run build').toBe(true);
    const assets = fs.readdirSync(path.join(webDist, 'assets'));
    const name = assets.find((f) => f.endsWith('.js') && assets.includes(`${f}.br`) && assets.includes(`${f}.gz`));
    expect(name, 'the build writes .br and .gz copies (scripts/vite-precompress.ts)').toBeDefined();
    const file = path.join(webDist, 'assets', name!);

    const br = await get(`/assets/${name}`, { 'accept-encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers).toMatchObject({
      'content-encoding': 'br',
      'cache-control': IMMUTABLE,
      vary: expect.stringMatching(/accept-encoding/i),
    });
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.body.equals(fs.readFileSync(`${file}.br`))).toBe(true);

    const gz = await get(`/assets/${name}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.equals(fs.readFileSync(`${file}.gz`))).toBe(true);

    const plain = await get(`/assets/${name}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(plain.body.equals(fs.readFileSync(file))).toBe(true);

    // The copies are not addresses of their own.
    expect((await get(`/assets/${name}.br`)).status).toBe(404);

    for (const url of ['/', '/index.html', '/settings/channels']) {
      const page = await get(url, { accept: 'text/html', 'accept-encoding': 'br' });
      expect(page.status, url).toBe(200);
      expect(page.headers['cache-control'], url).toBe(REVALIDATE);
      expect(decode(page), url).toContain('<div id="root">');
    }
  });
});
