import type { Incident } from '../../db/client.js';
import { LIMITS, truncate } from './block-kit.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { incidentReference } from '../../record/incident-reference.js';
import { severityEmoji, statusLabel } from './severity-style.js';

/** The channel topic: severity, status and title, within Slack's 250 characters (Slack parses topics like messages). */
export function renderTopic(incident: Incident): string {
  return truncate(`${severityEmoji(incident.severity)} ${incident.severity.toUpperCase()} · ${statusLabel(incident.status)} · ${incidentReference(incident)}: ${escapeMrkdwn(incident.title)}`, LIMITS.topic);
}
