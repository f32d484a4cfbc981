import type { FastifyInstance } from 'fastify';
import { AppError, type FieldError } from '../errors';

/** Deeper than any document the API defines; a deeper one is an attack on the parsers behind us, not data. */
export const MAX_INPUT_DEPTH = 32;
const MAX_REPORTED = 10;

/** Buffers and streams (raw bodies, uploads) are their route's business; every parsed object is walked. */
const isOpaque = (v: object) =>
  Buffer.isBuffer(v) || ArrayBuffer.isView(v) || v instanceof Date || typeof (v as { pipe?: unknown }).pipe === 'function';

/**
 * What no route can store: PostgreSQL refuses the NUL character in text and jsonb, so a NUL in any string or key
 * would fail the write with a 500; and nesting past MAX_INPUT_DEPTH. Walks parsed input (objects, arrays and
 * strings; Buffers and streams are left to their route). Bounded by the depth limit, never recursing deeper.
 */
export function inputProblems(value: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, at: string, depth: number): void => {
    if (out.length >= MAX_REPORTED) return;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) out.push({ path: at, message: 'Must not contain the NUL character (\\u0000)' });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const isArray = Array.isArray(v);
    if (!isArray && isOpaque(v)) return;
    if (depth >= MAX_INPUT_DEPTH) {
      out.push({ path: at, message: `Nested deeper than ${MAX_INPUT_DEPTH} levels` });
      return;
    }
    if (isArray) {
      v.forEach((item, i) => walk(item, `${at}.${i}`, depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.includes('\u0000')) out.push({ path: at, message: 'A key must not contain the NUL character (\\u0000)' });
      walk(item, `${at}.${key}`, depth + 1);
    }
  };
  walk(value, path, 0);
  return out;
}

/** Throws 422 validation_failed, nothing written, when `value` holds what inputProblems finds. */
export function assertStorableInput(value: unknown, path: string): void {
  const errors = inputProblems(value, path);
  if (errors.length > 0) throw new AppError('validation_failed', 'The request holds a value that cannot be stored', { errors });
}

/**
 * Once for every route, before its schema: params, query and body. The route's own validation then never sees
 * a NUL or a 5,000-level document.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    assertStorableInput(req.params, 'params');
    assertStorableInput(req.query, 'querystring');
    assertStorableInput(req.body, 'body');
  });
}
