import type { Deps } from '../../deps.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { incidentReference } from '../../record/incident-reference.js';
import { severityEmoji, statusLabel } from '../render/severity-style.js';

const LISTED = 20;

/**
 * The answer to `/incident status`: this channel's incident, or every incident not yet resolved.
 * With private incident channels, the list outside them leaves titles out: whoever asks may not
 * be in those channels.
 */
export async function describeStatus(deps: Pick<Deps, 'db' | 'config'>, channelId: string): Promise<string> {
  const here = await deps.db.incident.findUnique({ where: { channelId } });
  const incidents = here ? [here] : await deps.db.incident.findMany({ where: { status: { not: 'resolved' } }, orderBy: { openedAt: 'desc' }, take: LISTED + 1 });
  if (incidents.length === 0) return 'No open incidents. 🎉';
  const hideTitles = !here && deps.config.incidents.private_channels;
  const lines = incidents.slice(0, LISTED).map((incident) => {
    const where = incident.channelId ? `<#${incident.channelId}>` : '_channel being created_';
    const title = hideTitles ? '' : ` ${escapeMrkdwn(incident.title)}`;
    return `${severityEmoji(incident.severity)} *${incidentReference(incident)}*${title} · ${statusLabel(incident.status)} · ${where} · opened <!date^${Math.floor(incident.openedAt.getTime() / 1000)}^{ago}|${incident.openedAt.toISOString()}>`;
  });
  if (incidents.length > LISTED) lines.push(`_…and more; see GET /api/incidents_`);
  if (hideTitles) lines.push('_Titles are shown in the incident channels only (they are private)._');
  return lines.join('\n');
}
