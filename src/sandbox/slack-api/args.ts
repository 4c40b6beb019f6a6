/**
 * Argument parsing helpers. Slack receives arguments either form-encoded (every value a string, objects and
 * arrays JSON-encoded — which is what @slack/web-api sends) or as a JSON body (typed values). The zod
 * schemas below accept both and normalise them.
 */
import { z } from 'zod';
import type { ApiArgs, JsonObject } from './types.js';

/** Outcome of a method handler, turned into an HTTP 200 JSON body by the dispatcher. */
export type MethodResult =
  | { ok: true; body: JsonObject }
  | { ok: false; error: string; extra?: JsonObject };

export function ok(body: JsonObject = {}): MethodResult {
  return { ok: true, body };
}

export function fail(error: string, extra?: JsonObject): MethodResult {
  return extra ? { ok: false, error, extra } : { ok: false, error };
}

/** Optional string; numbers (JSON clients sending ids/ts as numbers) are stringified. */
export const optString = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined ? undefined : String(v)));

/** String defaulting to '' so handlers can answer Slack's specific error (e.g. channel_not_found). */
export const reqString = optString.transform((v) => v ?? '');

/** Slack booleans: true/false, "true"/"false", "1"/"0". */
export const flag = z
  .union([z.boolean(), z.string(), z.number()])
  .optional()
  .transform((v) => v === true || v === 1 || v === 'true' || v === '1');

/** Optional integer given as number or numeric string; anything else fails parsing. */
export const optInt = z
  .union([z.number(), z.string().regex(/^-?\d+$/)])
  .optional()
  .transform((v) => (v === undefined ? undefined : Number(v)));

/** Comma-separated list (form) or array (JSON) of ids. */
export const idList = z
  .union([z.string(), z.array(z.union([z.string(), z.number()]))])
  .optional()
  .transform((v) =>
    v === undefined
      ? []
      : (Array.isArray(v) ? v.map(String) : v.split(','))
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
  );

/**
 * A JSON-typed argument (blocks, attachments, view, files...). The dispatcher already decodes JSON strings;
 * a value that is still a string here was not valid JSON.
 */
export const jsonArg = z.unknown().optional();

/** Parses `args` or answers `invalid_arguments` with the zod issues as response_metadata messages. */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  args: ApiArgs,
): { success: true; data: z.output<S> } | { success: false; result: MethodResult } {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { success: true, data: parsed.data };
  const messages = parsed.error.issues.map(
    (issue) => `[ERROR] ${issue.message} [json-pointer:/${issue.path.map(String).join('/')}]`,
  );
  return { success: false, result: fail('invalid_arguments', { response_metadata: { messages } }) };
}
