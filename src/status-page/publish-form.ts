import { z } from 'zod';
import type { Deps } from '../deps.js';
import { componentStatesSchema, type ComponentState } from './status-snapshot.js';
import { defaultOutageState, publicStatusSchema, type PublicStatus } from './public-statuses.js';

export interface PublishForm {
  id: string;
  number: number;
  /** The internal title: shown to the person in Slack, never published. */
  title: string;
  /** What is on the page now, if anything. */
  current: { title: string; status: PublicStatus; hidden: boolean } | null;
  /** The component states the form starts from: the current ones, or the components whose services the incident's `service` labels name, at the severity's default state. */
  components: ComponentState[];
}

const labelsSchema = z.record(z.string(), z.unknown());

/** What the publish form starts from; undefined when there is no such incident or no status page. */
export async function publishForm(deps: Pick<Deps, 'db' | 'config'>, incidentId: string): Promise<PublishForm | undefined> {
  const page = deps.config.status_page;
  if (!page) return undefined;
  const incident = await deps.db.incident.findUnique({
    where: { id: incidentId },
    select: { id: true, number: true, title: true, severity: true, labels: true, publicIncident: { select: { title: true, status: true, hiddenAt: true, resolvedAt: true, updates: { orderBy: { createdAt: 'desc' }, take: 1, select: { components: true } } } } },
  });
  if (!incident) return undefined;
  const published = incident.publicIncident;
  if (published && !published.resolvedAt) {
    const latest = componentStatesSchema.safeParse(published.updates[0]?.components ?? []);
    return { ...incident, current: { title: published.title, status: publicStatusSchema.catch('investigating').parse(published.status), hidden: published.hiddenAt !== null }, components: latest.success ? latest.data : [] };
  }
  const labels = labelsSchema.catch({}).parse(incident.labels);
  const service = typeof labels.service === 'string' ? labels.service : undefined;
  const state = defaultOutageState(incident.severity, deps.config.incidents.severities);
  const components = page.components.filter((component) => service !== undefined && component.services.includes(service)).map((component) => ({ name: component.name, status: state }));
  const current = published ? { title: published.title, status: publicStatusSchema.catch('investigating').parse(published.status), hidden: published.hiddenAt !== null } : null;
  return { id: incident.id, number: incident.number, title: incident.title, current, components };
}
