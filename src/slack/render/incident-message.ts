import { incidentReference } from '../../record/incident-reference.js';
import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../db/client.js';
import { labelsOf, linksOf } from '../../record/incident-links.js';
import type { Runbook } from '../../runbooks/runbook.js';
import { renderActionButtons } from './action-buttons.js';
import { renderIncidentControls } from './incident-controls.js';
import { LIMITS, chunkText, context, divider, fields, header, paginate, section, truncate } from './block-kit.js';
import { escapeMrkdwn, link } from './mrkdwn.js';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.js';
import { severityEmoji, statusLabel } from './severity-style.js';

export interface AlertCounts {
  firing: number;
  resolved: number;
  /** Alert groups in the incident, when more than the one that opened it joined. */
  groups?: number;
}

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
  /** Runbook sections that did not fit in the first message, posted as thread replies. */
  overflow: KnownBlock[][];
}

const MAX_LABELS = 12;

/** The one incident message: what fired, where to look, the runbook's action buttons and the runbook itself. */
export function renderIncidentMessage(incident: Incident, counts: AlertCounts, runbook: Runbook | undefined, keyLabels: readonly string[], comms: KnownBlock[] = []): RenderedMessage {
  const ref = incidentReference(incident);
  const title = `${severityEmoji(incident.severity)} ${incident.severity.toUpperCase()} · ${ref} · ${incident.title}`;
  const head: KnownBlock[] = [
    header(title),
    ...fields([
      `*Status*\n${statusLabel(incident.status)}`,
      `*Severity*\n${escapeMrkdwn(incident.severity)}`,
      `*Alerts*\n${counts.firing} firing · ${counts.resolved} resolved${counts.groups && counts.groups > 1 ? ` · ${counts.groups} alert groups` : ''}`,
      `*Source*\n${escapeMrkdwn(incident.source)}`,
      `*Opened*\n<!date^${Math.floor(incident.openedAt.getTime() / 1000)}^{date_short_pretty} {time}|${incident.openedAt.toISOString()}>`,
      `*Runbook*\n${runbook ? escapeMrkdwn(runbook.title) : '_none matched_'}`,
      ...escalationFields(incident),
    ]),
    ...comms,
    ...renderIncidentControls(incident),
  ];
  const about = [incident.summary && `*${escapeMrkdwn(incident.summary)}*`, incident.description && escapeMrkdwn(incident.description)].filter(Boolean).join('\n');
  if (about) head.push(section(about));
  const labels = labelLines(labelsOf(incident), keyLabels);
  if (labels) head.push(section(labels));
  const links = linksOf(incident).map((item) => link(item.url, item.label));
  if (links.length > 0) head.push(context(links));
  if (runbook) head.push(...renderActionButtons(incident.id, runbook.actions));

  const runbookBlocks = runbook ? renderRunbook(runbook) : [];
  const room = LIMITS.blocksPerMessage - head.length;
  const [first = [], ...overflow] = [runbookBlocks.slice(0, room), ...paginate(runbookBlocks.slice(room))];
  return {
    text: truncate(escapeMrkdwn(`${title}${incident.summary ? ` — ${incident.summary}` : ''}`), LIMITS.messageText),
    blocks: [...head, ...first],
    overflow: overflow.filter((page) => page.length > 0),
  };
}

function escalationFields(incident: Incident): string[] {
  const fields: string[] = [];
  if (incident.level > 0) fields.push(`*Escalation*\nL${incident.level}${incident.policyName ? ` (${escapeMrkdwn(incident.policyName)} policy)` : ''}`);
  if (incident.acknowledgedBy) fields.push(`*Acknowledged by*\n<@${incident.acknowledgedBy}>`);
  else if (incident.nextEscalationAt) fields.push(`*Next escalation*\n<!date^${Math.floor(incident.nextEscalationAt.getTime() / 1000)}^{time}|${incident.nextEscalationAt.toISOString()}>`);
  return fields;
}

function labelLines(labels: Record<string, string>, keyLabels: readonly string[]): string {
  const keys = [...keyLabels.filter((key) => key in labels), ...Object.keys(labels).filter((key) => !keyLabels.includes(key)).sort()];
  const shown = keys.slice(0, MAX_LABELS).map((key) => `\`${escapeMrkdwn(key)}=${escapeMrkdwn(String(labels[key]))}\``);
  if (keys.length > MAX_LABELS) shown.push(`_+${keys.length - MAX_LABELS} more_`);
  return shown.join('  ');
}

/** The runbook's sections as blocks; long sections are split across several section blocks. */
export function renderRunbook(runbook: Runbook): KnownBlock[] {
  const blocks: KnownBlock[] = [divider, section(`📖 *Runbook: ${escapeMrkdwn(runbook.title)}*`)];
  for (const part of runbook.sections) {
    const chunks = chunkText(markdownToMrkdwn(part.markdown), LIMITS.sectionText - part.title.length - 8);
    chunks.forEach((chunk, index) => blocks.push(section(index === 0 ? `*${escapeMrkdwn(part.title)}*\n${chunk}` : chunk)));
  }
  return blocks;
}
