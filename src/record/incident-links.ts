import { z } from 'zod';
import type { Incident } from '../db/client.js';
import { StoredRecordError } from './stored-record-error.js';

export const incidentLinkSchema = z.object({ label: z.string(), url: z.string() });
/** A link shown on the incident message (the alert's source, a dashboard, a runbook). */
export type IncidentLink = z.infer<typeof incidentLinkSchema>;

const linksSchema = z.array(incidentLinkSchema);
const labelsSchema = z.record(z.string(), z.string());

/** The incident's stored links, parsed; a malformed list is refused. */
export function linksOf(incident: Pick<Incident, 'id' | 'links'>): IncidentLink[] {
  const parsed = linksSchema.safeParse(incident.links);
  if (!parsed.success) throw new StoredRecordError('the links of incident', incident.id, z.prettifyError(parsed.error));
  return parsed.data;
}

/** The incident's stored labels, parsed; malformed labels are refused. */
export function labelsOf(incident: Pick<Incident, 'id' | 'labels'>): Record<string, string> {
  const parsed = labelsSchema.safeParse(incident.labels ?? {});
  if (!parsed.success) throw new StoredRecordError('the labels of incident', incident.id, z.prettifyError(parsed.error));
  return parsed.data;
}
