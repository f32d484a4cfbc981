import { channelConfigSchema } from '@touchpoint/shared';
import { AppError } from '../../platform/errors';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key, anything else (arrays too) replaces.
 * `imap.hasPassword` is what the API shows instead of the password; sent back unchanged it is not stored.
 */
export function mergeConfig(stored: Json, patch: Json): Json {
  const merged = mergePatch(stored, patch) as Json;
  if (isObject(merged.imap)) delete merged.imap.hasPassword;
  return merged;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The merged config must pass the checks of creation (ZCreateChannelBody): 422 with the failing `body.config.…` fields. */
export function assertValidConfig(kind: string, config: Json): void {
  const schema = channelConfigSchema(kind);
  const issues = schema?.safeParse(config).error?.issues ?? [];
  if (issues.length === 0) return;
  const errors = issues.map((i) => ({ path: ['body', 'config', ...i.path].join('.'), message: i.message }));
  throw new AppError('validation_failed', 'The channel config does not pass validation', { errors });
}
