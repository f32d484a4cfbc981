import { isDeepStrictEqual } from 'node:util';
import type { FastifySerializerCompiler } from 'fastify/types/schema';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;
type RouteSchema = Parameters<FastifySerializerCompiler<unknown>>[0];

const hot = new WeakSet<object>();

/**
 * Marks a response schema as hot: its responses are written by a fast-json-stringify function compiled once from
 * the schema's JSON Schema (`z.toJSONSchema`), instead of being zod-encoded and then JSON.stringify'd on every
 * response (~7.5% of the server's CPU on the inbox reads). Only for schemas of plain data, without transforms or
 * codecs: their output must be what zod would have written (checked outside production, see below).
 */
export function hotResponse<T extends z.ZodType>(schema: T): T {
  hot.add(schema);
  return schema;
}

/**
 * A JSON Schema fast-json-stringify compiles well: `anyOf [X, null]` (zod's nullable) becomes a type list, which it
 * writes inline, where an anyOf would cost an Ajv validation of every value to pick the branch.
 */
export function fastSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' }) as JsonSchema;
  delete json.$schema;
  return simplify(json) as JsonSchema;
}

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) out[k] = simplify(v);
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullIndex = anyOf.findIndex((s) => s.type === 'null' && Object.keys(s).length === 1);
    const other = anyOf[1 - nullIndex];
    if (nullIndex >= 0 && other && typeof other.type === 'string' && other.type !== 'object' && other.type !== 'array') {
      const { anyOf: _anyOf, ...rest } = out;
      const { enum: values, ...scalar } = other;
      return { ...rest, ...scalar, type: [other.type, 'null'], ...(Array.isArray(values) ? { enum: [...values, null] } : {}) };
    }
  }
  return out;
}

/**
 * The app's response serializer: zod (validate, encode, JSON.stringify) for every schema, fast-json-stringify for
 * the hot ones. With `verify` (development and tests) a hot response is also zod-serialised and the two texts must
 * be identical, so a presenter or a fast path that drifts from the contract fails its route tests instead of
 * shipping (compared as values: fast-json-stringify writes optional properties after the required ones, which JSON
 * readers do not see); production skips that second pass.
 */
export function createResponseSerializerCompiler(opts: { verify: boolean }): FastifySerializerCompiler<unknown> {
  return (route: RouteSchema) => {
    const schema = route.schema as z.ZodType;
    if (!hot.has(schema)) return zodSerializerCompiler(route as never);
    const stringify = fastJson(fastSchemaOf(schema) as never) as (data: unknown) => string;
    if (!opts.verify) return stringify;
    const checked = zodSerializerCompiler(route as never) as (data: unknown) => string;
    return (data: unknown) => {
      const reference = checked(data);
      const fast = stringify(data);
      // The same values; only key order may differ (fast-json-stringify writes optional properties last).
      if (!isDeepStrictEqual(JSON.parse(fast), JSON.parse(reference)))
        throw new Error(`fast serializer of ${route.method} ${route.url} drifted from the zod contract:\n${fast}\n!==\n${reference}`);
      return fast;
    };
  };
}
