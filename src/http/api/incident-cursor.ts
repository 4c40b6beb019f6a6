import type { IncidentKey } from '../../incidents/list-incidents.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The opaque `cursor` of GET /api/incidents: base64url of `<openedAt ISO>|<id>`. */
export function encodeIncidentCursor(key: IncidentKey): string {
  return Buffer.from(`${key.openedAt.toISOString()}|${key.id}`).toString('base64url');
}

/** The key a cursor stands for, or undefined when it is not one this API gave out. */
export function decodeIncidentCursor(cursor: string): IncidentKey | undefined {
  // Node's base64url decoder skips characters it does not know; check the alphabet first.
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || at === undefined || id === undefined || !ISO.test(at) || !UUID.test(id)) return undefined;
  const openedAt = new Date(at);
  if (Number.isNaN(openedAt.getTime()) || openedAt.toISOString() !== at) return undefined;
  return { openedAt, id };
}
