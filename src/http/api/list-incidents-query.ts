import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { INCIDENT_STATUSES, IncidentStatus, type ListIncidentsQuery } from '../../incidents/list-incidents.js';
import { decodeIncidentCursor } from './incident-cursor.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const once = (name: string) => z.string({ error: `give ${name} at most once` });
const LIMIT_MESSAGE = `must be an integer from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`;
const SINCE_MESSAGE = 'must be an ISO 8601 date or date-time with a time zone, such as 2026-11-24 or 2026-11-24T03:00:00Z';

const querySchema = z.strictObject({
  // ?status=open&status=acknowledged and ?status=open,acknowledged mean the same.
  status: z
    .array(z.string())
    .transform((values) => values.flatMap((value) => value.split(',')).map((value) => value.trim()))
    .pipe(z.array(z.enum(IncidentStatus, { error: `must be one of ${INCIDENT_STATUSES.join(', ')} (repeat it or separate values with commas)` })))
    .optional(),
  since: once('since')
    // An unencoded `+02:00` offset arrives as ` 02:00` (`+` means space in a query string).
    .transform((value) => value.trim().replace(/ (\d{2}:\d{2})$/, '+$1'))
    .pipe(z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: SINCE_MESSAGE }))
    .transform((value) => new Date(value))
    .optional(),
  limit: once('limit')
    .regex(/^\d{1,4}$/, LIMIT_MESSAGE)
    .transform(Number)
    .pipe(z.number().int().min(1, LIMIT_MESSAGE).max(MAX_LIMIT, LIMIT_MESSAGE))
    .optional(),
  cursor: once('cursor')
    .transform((value, ctx) => {
      const key = decodeIncidentCursor(value);
      if (!key) ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out: pass nextCursor from the previous page unchanged, or start again without it' });
      return key ?? z.NEVER;
    })
    .optional(),
});

/** Parses GET /api/incidents' query string; a bad parameter is a 400 that names it. */
export function parseListIncidentsQuery(params: URLSearchParams): ListIncidentsQuery {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    raw[key] = key === 'status' || values.length > 1 ? values : (values[0] as string);
  }
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const parameter = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? '') : String(issue?.path[0] ?? '');
    const message = issue?.code === 'unrecognized_keys' ? `unknown query parameter "${parameter}": use status, since, limit or cursor` : `query parameter "${parameter}" ${issue?.message ?? 'is invalid'}`;
    throw new ValidationError(message, 'invalid_parameter', { parameter });
  }
  const { status, since, limit, cursor } = parsed.data;
  return { statuses: status, since, limit: limit ?? DEFAULT_LIMIT, after: cursor };
}
