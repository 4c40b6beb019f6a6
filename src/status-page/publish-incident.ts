import type { Deps } from '../deps.js';
import type { Prisma } from '../db/client.js';
import { lockIncident } from '../record/lock-incident.js';
import { recordEvents, type EventSource } from '../record/timeline.js';
import { notifyStatusChange } from './notify-status-change.js';
import { impactOf, type PublicStatus } from './public-statuses.js';
import type { ComponentState } from './status-snapshot.js';

export interface PublishRequest {
  by: string;
  source: EventSource;
  title: string;
  /** Empty: a sentence for the status (Statuspage's default wording). */
  body: string;
  status: PublicStatus;
  /** The affected components and their states; components not named are operational. */
  components: ComponentState[];
}

export type PublishOutcome = { kind: 'published'; publicIncidentId: string; first: boolean } | { kind: 'not_found' } | { kind: 'no_status_page' } | { kind: 'invalid'; reason: string };

const DEFAULT_BODY: Record<PublicStatus, string> = {
  investigating: 'We are investigating this issue.',
  identified: 'The issue has been identified and a fix is being implemented.',
  monitoring: 'A fix has been implemented and we are monitoring the results.',
  resolved: 'This incident has been resolved.',
};

/**
 * Publishes an incident on the status page, or a new public update of one already there: the
 * public title, status, message and component states are written in the incident's transaction
 * to tables of their own, and every process is told to re-render.
 */
export async function publishIncident(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>, incidentId: string, request: PublishRequest): Promise<PublishOutcome> {
  const page = deps.config.status_page;
  if (!page) return { kind: 'no_status_page' };
  const title = request.title.trim().slice(0, 200);
  if (!title) return { kind: 'invalid', reason: 'a public title is required' };
  const known = new Set(page.components.map((component) => component.name));
  const unknown = request.components.find((component) => !known.has(component.name));
  if (unknown) return { kind: 'invalid', reason: `there is no component "${unknown.name}"` };
  const body = request.body.trim().slice(0, 5_000) || DEFAULT_BODY[request.status];
  const components = [...new Map(request.components.map((component) => [component.name, component])).values()];
  const outcome = await deps.db.$transaction(async (tx): Promise<PublishOutcome> => {
    const incident = await lockIncident(tx, incidentId);
    const now = deps.clock.now();
    if (!incident) return { kind: 'not_found' };
    const data = { title, status: request.status, impact: impactOf(components.map((component) => component.status)), updatedAt: now, hiddenAt: null, resolvedAt: request.status === 'resolved' ? now : null };
    const existing = await tx.publicIncident.findUnique({ where: { incidentId }, select: { id: true, resolvedAt: true } });
    const row = existing
      ? await tx.publicIncident.update({ where: { id: existing.id }, data: { ...data, resolvedAt: request.status === 'resolved' ? (existing.resolvedAt ?? now) : null } })
      : await tx.publicIncident.create({ data: { ...data, incidentId, createdAt: now } });
    await replaceComponents(tx, row.id, components);
    await tx.publicUpdate.create({ data: { publicIncidentId: row.id, status: request.status, body, components, createdAt: now } });
    await recordEvents(tx, [{ incidentId, type: 'statuspage.published', actor: request.by, source: request.source, at: now, data: { title, status: request.status, body, components } }]);
    await notifyStatusChange(tx);
    return { kind: 'published', publicIncidentId: row.id, first: !existing };
  });
  if (outcome.kind === 'published') deps.log.info({ incidentId, publicIncidentId: outcome.publicIncidentId }, 'published on the status page');
  return outcome;
}

async function replaceComponents(tx: Prisma.TransactionClient, publicIncidentId: string, components: ComponentState[]): Promise<void> {
  await tx.publicComponentState.deleteMany({ where: { publicIncidentId } });
  if (components.length > 0) await tx.publicComponentState.createMany({ data: components.map((component) => ({ publicIncidentId, component: component.name, status: component.status })) });
}
