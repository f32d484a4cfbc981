import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from './errors';

/** A destination an administrator may not make the server call: loopback, private networks, cloud metadata. */
export class BlockedDestinationError extends Error {
  constructor(host: string, address: string) {
    super(`Refusing to call ${host}: it resolves to ${address}, a private or reserved address`);
    this.name = 'BlockedDestinationError';
  }
}

/** Public unicast only: no loopback, private, link-local (169.254.169.254), unique-local, CGNAT, multicast, reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

/** How long a save waits for DNS before it refuses a destination it cannot check. */
const SAVE_LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Why the server would refuse to call `target` (a URL, or a bare host name for IMAP), or null. Run when an
 * administrator saves a destination, so a loopback, private or metadata address is a 422 at once rather than a
 * failing delivery later; deliveries check again at connect time (a name can resolve elsewhere by then). A name
 * that does not resolve is refused too: it cannot be checked.
 */
export async function destinationProblem(target: string, opts: { allowPrivate: boolean; bareHost?: boolean }): Promise<string | null> {
  if (opts.allowPrivate) return null;
  const host = (opts.bareHost ? target : new URL(target).hostname).replace(/^\[|\]$/g, '');
  const refused = (address: string) =>
    `${host}${address === host ? '' : ` resolves to ${address}, which`} is a loopback, private or reserved address; ` +
    `set WEBHOOK_ALLOW_PRIVATE_NETWORKS=on to allow it`;
  if (net.isIP(host)) return isPublicAddress(host) ? null : refused(host);
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      dns.promises.lookup(host, { all: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${SAVE_LOOKUP_TIMEOUT_MS / 1000} s`)), SAVE_LOOKUP_TIMEOUT_MS);
      }),
    ]);
    if (addresses.length === 0) return `${host} has no address`;
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    return blocked ? refused(blocked.address) : null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `Cannot resolve ${host} (${e.code ?? e.message}); use a name that resolves to a public address`;
  } finally {
    clearTimeout(timer);
  }
}

/** 422 naming every saved destination destinationProblem refuses (checked in parallel, outside any transaction). */
export async function assertAllowedDestinations(
  destinations: { path: string; target: string; bareHost?: boolean }[],
  allowPrivate: boolean,
): Promise<void> {
  const problems = await Promise.all(destinations.map((d) => destinationProblem(d.target, { allowPrivate, bareHost: d.bareHost })));
  const errors = destinations.flatMap((d, i) => (problems[i] ? [{ path: d.path, message: problems[i] }] : []));
  if (errors.length > 0) throw new AppError('validation_failed', errors[0]!.message, { errors });
}

export interface OutboundOptions {
  /** Allow loopback and private destinations (development, tests, or calls to a service on the same network). */
  allowPrivate: boolean;
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * The DNS lookup of outbound calls: the addresses the connection will use are checked, so a hostname cannot
 * resolve to an internal address at connect time (no check-then-resolve-again gap for DNS rebinding).
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const blocked = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(new BlockedDestinationError(hostname, blocked.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** How much of an answer's body is kept (channel providers answer a small JSON with their message id). */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a body to an administrator-configured URL (automation webhooks, channel deliveries) and answers the
 * status and the first MAX_ANSWER_BYTES of the answer's body. Refuses private and reserved destinations unless
 * allowed; follows no redirects; bounded in time.
 */
export function postOutbound(url: string, body: string, opts: OutboundOptions): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return Promise.reject(new Error(`Unsupported scheme ${target.protocol}`));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivate && net.isIP(host) && !isPublicAddress(host)) return Promise.reject(new BlockedDestinationError(host, host));
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup(opts.allowPrivate),
        timeout: opts.timeoutMs,
      },
      (res) => {
        // Keep a bounded prefix and drain the rest, so a huge answer neither fills memory nor holds the socket.
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept >= MAX_ANSWER_BYTES) return;
          const part = chunk.subarray(0, MAX_ANSWER_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        // Destroying the request mid-answer aborts the response, which does not always emit 'error'.
        res.on('aborted', () => reject(new Error(`No answer from ${target.host} within ${opts.timeoutMs} ms`)));
      },
    );
    const tooSlow = () => req.destroy(new Error(`No answer from ${target.host} within ${opts.timeoutMs} ms`));
    req.on('timeout', tooSlow);
    // The socket timeout only measures silence: a receiver trickling a byte every few seconds would hold the call
    // (and its worker slot) forever. This deadline bounds the whole exchange, DNS lookup included.
    const deadline = setTimeout(tooSlow, opts.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', reject);
    req.end(body);
  });
}
