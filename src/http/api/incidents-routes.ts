import type { Deps } from '../../deps.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { getIncident, type IncidentRef } from '../../incidents/get-incident.js';
import { listIncidents } from '../../incidents/list-incidents.js';
import { sendJson } from '../respond.js';
import type { Handler } from '../router.js';
import { encodeIncidentCursor } from './incident-cursor.js';
import { parseListIncidentsQuery } from './list-incidents-query.js';
import { requireApiToken } from './require-api-token.js';
import type { NameLookup } from '../../review/current-draft.js';
import { reviewOfIncident } from '../../review/review-of-incident.js';

// Incident data is for the token holder only: no shared cache may keep it.
const NO_STORE = { 'cache-control': 'no-store' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFERENCE = /^INC-(\d{1,10})$/i;

/** GET /api/incidents: incidents newest first, filtered by status and since, paged by cursor. */
export function listIncidentsRoute(deps: Pick<Deps, 'db' | 'env'>): Handler {
  return async ({ req, res, url }) => {
    requireApiToken(deps.env, req.headers);
    const page = await listIncidents(deps, parseListIncidentsQuery(url.searchParams));
    sendJson(res, 200, { incidents: page.incidents, nextCursor: page.next ? encodeIncidentCursor(page.next) : null }, NO_STORE);
  };
}

/** GET /api/incidents/:id: one incident (UUID or INC-<number>) with alerts, timeline, escalations and action runs. */
export function getIncidentRoute(deps: Pick<Deps, 'db' | 'env'>): Handler {
  return async ({ req, res, params }) => {
    requireApiToken(deps.env, req.headers);
    const given = params.id ?? '';
    const incident = await getIncident(deps, parseIncidentRef(given));
    if (!incident) throw new NotFoundError(`no incident ${given}`, 'incident_not_found');
    sendJson(res, 200, incident, NO_STORE);
  };
}

/**
 * GET /api/incidents/:id/review: the review's current Markdown (drafted again first if anything
 * changed), with its state, owner and due time in headers.
 */
export function getReviewRoute(deps: Pick<Deps, 'db' | 'env' | 'runbooks'>, names: NameLookup): Handler {
  return async ({ req, res, params }) => {
    requireApiToken(deps.env, req.headers);
    const given = params.id ?? '';
    const draft = await reviewOfIncident({ ...deps, names }, parseIncidentRef(given));
    if (draft.kind === 'no_incident') throw new NotFoundError(`no incident ${given}`, 'incident_not_found');
    if (draft.kind === 'not_drafted') throw new NotFoundError(`INC-${draft.number} has not resolved yet: its review is drafted when it resolves`, 'review_not_drafted');
    const body = Buffer.from(draft.markdown, 'utf8');
    res.writeHead(200, {
      'content-type': 'text/markdown; charset=utf-8',
      'content-length': body.length,
      'review-state': draft.review.state,
      'review-due-at': draft.review.dueAt.toISOString(),
      ...(draft.review.owner ? { 'review-owner': draft.review.owner } : {}),
      ...NO_STORE,
    });
    res.end(body);
  };
}

function parseIncidentRef(given: string): IncidentRef {
  if (UUID.test(given)) return { id: given.toLowerCase() };
  const reference = REFERENCE.exec(given);
  if (reference) return { number: Number(reference[1]) };
  throw new ValidationError('path parameter "id" must be an incident id (UUID) or a reference such as INC-42', 'invalid_parameter', { parameter: 'id' });
}
