import { onCallVia } from './on-call-via.js';
import type { Runbook } from '../runbooks/runbook.js';
import type { ReviewFacts } from './review-facts.js';
import { formatDuration, formatOffset, formatRunTime, formatDateTime, inline, markdownLink, quote, secondsBetween, formatSeconds, timeOfDay, who } from './review-format.js';

/**
 * The sections people write. Each sits between markers, `<!-- review:<key> -->` and
 * `<!-- /review:<key> -->`, each on a line of its own; what lies between them is kept verbatim
 * when the review is drafted again (after a reopen and a new resolution). Everything else in the
 * draft is computed from the record and rewritten.
 */
export const HUMAN_SECTIONS = [
  { key: 'impact', title: 'Impact on users', placeholder: '_To fill in: who or what was affected, and how much (users, requests, payments, data)._' },
  { key: 'root-cause', title: 'Root cause', placeholder: '_To fill in: what caused it, and what made that possible._' },
  { key: 'went-well', title: 'What went well', placeholder: '_To fill in._' },
  { key: 'went-poorly', title: 'What went poorly', placeholder: '_To fill in._' },
  { key: 'action-items', title: 'Action items', placeholder: '| Owner | Deadline | Item |\n|---|---|---|\n|  |  |  |' },
  { key: 'tests-and-alerts', title: 'Tests and alerts to add', placeholder: '_To fill in: the tests and alerts that would have caught this sooner, or stop it happening again._' },
] as const;

export type HumanSectionKey = (typeof HUMAN_SECTIONS)[number]['key'];

/** The review as Postgres holds it: who owns it, when it is due, whether it is done. */
export interface ReviewStatus {
  owner: string | null;
  dueAt: Date;
  state: 'draft' | 'done';
  completedAt: Date | null;
  completedBy: string | null;
}

/** An action item recorded with `/incident followup`. */
export interface FollowUpItem {
  owner: string;
  dueOn: Date;
  text: string;
  createdBy: string;
  createdAt: Date;
}

export interface DraftOptions {
  /** The people-written sections (as saved, or read back with extractHumanSections), kept verbatim. */
  humanSections?: Record<string, string>;
  review?: ReviewStatus;
  followUps?: readonly FollowUpItem[];
}

const MARKER = /^<!--\s*review:([a-z0-9-]+)\s*-->[ \t]*\r?\n([\s\S]*?)^<!--\s*\/review:\1\s*-->[ \t]*$/gm;

/**
 * Reads the people-written sections back from an earlier draft: key → the text between its
 * markers, exactly (the line breaks right after the opening marker and right before the closing
 * one belong to the markers). Sections whose markers were removed are not returned.
 */
export function extractHumanSections(markdown: string): Record<string, string> {
  const sections: Record<string, string> = {};
  for (const match of markdown.matchAll(MARKER)) {
    const key = match[1] ?? '';
    if (key in sections) continue;
    sections[key] = (match[2] ?? '').replace(/\r?\n$/, '');
  }
  return sections;
}

type Event = ReviewFacts['timeline'][number];
type Data = Record<string, unknown>;

const dataOf = (event: Pick<Event, 'data'>): Data => (event.data && typeof event.data === 'object' && !Array.isArray(event.data) ? (event.data as Data) : {});
const str = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const labelsOf = (value: unknown): Record<string, string> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {});

const REASON: Record<string, string> = {
  opened: 'incident opened',
  timeout: 'not acknowledged in time',
  manual: 'escalated by hand',
  repeat: 'repeat: still not acknowledged',
  reopened: 'incident reopened',
  gap: 'nobody on call at the level before',
};

const OUTCOME: Record<string, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed out',
  outcome_unknown: 'outcome unknown',
  queued: 'not run yet (queued)',
  running: 'still running',
};

function notified(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.map((entry) => who(str(entry))).join(', ') : '—';
}

/**
 * One timeline event in words. `levelAt` gives the escalation level paged last at a time: an
 * acknowledgement's own `level` is the highest level the incident ever reached, which after a
 * reopen is not the level that was paged.
 */
export function describeEvent(event: Pick<Event, 'type' | 'data' | 'at'>, levelAt?: (at: Date) => number | null): string {
  const data = dataOf(event);
  const text = (value: unknown, max?: number) => inline(str(value), max);
  const label = text(data.label, 120);
  switch (event.type) {
    case 'alert.received':
      return `alert ${data.status === 'resolved' ? 'received, already resolved' : 'firing'}: ${text(data.name, 120)}${data.summary ? ` — ${text(data.summary, 200)}` : ''}`;
    case 'alert.resolved':
      return `alert resolved: ${text(data.name, 120)}`;
    case 'incident.opened':
      return [
        data.declaredBy ? `incident declared by hand by ${who(str(data.declaredBy))}` : 'incident opened',
        data.severity ? `severity ${text(data.severity, 40)}` : '',
        data.runbookId ? `runbook \`${text(data.runbookId, 80)}\`` : '',
        data.policy ? `policy \`${text(data.policy, 80)}\`` : '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'incident.acknowledged': {
      const level = levelAt?.(event.at) ?? (typeof data.level === 'number' ? data.level : null);
      return `acknowledged${level ? ` at L${level}` : ''}`;
    }
    case 'incident.ack_refused':
      return 'acknowledgement refused: not in the escalation policy';
    case 'incident.resolved':
      return `incident resolved${data.summary ? `: ${text(data.summary, 200)}` : ''}`;
    case 'incident.reopened':
      return 'incident reopened: its alerts fired again';
    case 'incident.group_joined':
      return `alert group joined (${data.reason === 'storm' ? 'alert storm' : 'same service'}): \`${text(data.groupKey, 120)}\``;
    case 'incident.severity_changed':
      return `severity ${text(data.from, 40)} → ${text(data.to, 40)}`;
    case 'escalation.notified':
      return `${text(data.level, 10)} notified (${REASON[str(data.reason)] ?? text(data.reason, 40)}): ${notified(data.notify)}${onCallVia(data.oncall)}${data.note ? ` — ${text(data.note, 200)}` : ''}`;
    case 'escalation.nobody_on_call':
      return `${text(data.level, 10)}: nobody on call in schedule \`${text(data.schedule, 80)}\`${data.next ? `, ${text(data.next, 10)} paged at once` : ''}`;
    case 'slack.channel_created':
      return `channel ${data.name ? `#${text(data.name, 80)}` : ''} created`.replace('  ', ' ');
    case 'slack.message_posted':
      return 'incident message posted';
    case 'slack.channel_archived':
      return 'channel archived';
    case 'runbook.posted':
      return `runbook \`${text(data.runbookId, 80)}\` posted`;
    case 'runbook.changed':
      return `runbook changed: \`${text(data.from, 80) || 'none'}\` → \`${text(data.to, 80)}\``;
    case 'action.requested':
      return `action requested: ${label}${data.kind ? ` (${text(data.kind, 20)})` : ''}`;
    case 'action.refused':
      return `action refused: ${label}${data.reason ? ` (${text(data.reason, 80)})` : ''}`;
    case 'action.started':
      return `action started: ${label}`;
    case 'action.succeeded':
    case 'action.failed':
    case 'action.timed_out':
    case 'action.outcome_unknown':
      return `action ${OUTCOME[event.type.slice('action.'.length)]}: ${label}${data.summary ? ` — ${text(data.summary, 200)}` : ''}`;
    case 'note.added':
      return `note by ${who(str(data.author))}: ${text(data.text, 200)}`;
    case 'note.pinned':
      return `message by ${who(str(data.author))} pinned: ${text(data.text, 200)}`;
    case 'review.reminded':
      return `review reminder (${data.kind === 'due_soon' ? 'due soon' : 'overdue'}) to ${data.owner ? who(str(data.owner)) : 'the channel'}`;
    case 'review.edited':
      return `review edited: ${text(Array.isArray(data.sections) ? data.sections.join(', ') : data.sections, 200)}`;
    case 'review.owner_changed':
      return `review owner ${data.from ? `${who(str(data.from))} → ` : 'set to '}${who(str(data.to))}`;
    case 'review.completed':
      return 'review marked done';
    case 'followup.added':
      return `follow-up for ${who(str(data.owner))}, due ${text(data.dueOn, 10)}: ${text(data.text, 200)}`;
    default:
      return text(event.type, 80);
  }
}

interface Computed {
  start: Date;
  /** The level of the last escalation step at or before a time (null before the first). */
  levelAt: (at: Date) => number | null;
  day: string;
  firstAlertStart: Date | null;
  firstAck: { at: Date; by: string | null; level: number | null } | null;
  laterAcks: { at: Date; by: string }[];
  resolution: { at: Date; by: string | null; summary: string | null } | null;
  cycles: Event[];
  declaredBy: string | null;
}

function compute(facts: ReviewFacts): Computed {
  const { incident, alerts, timeline } = facts;
  let firstAlertStart: Date | null = null;
  for (const alert of alerts) if (!firstAlertStart || alert.startsAt < firstAlertStart) firstAlertStart = alert.startsAt;
  const start = firstAlertStart && firstAlertStart < incident.openedAt ? firstAlertStart : incident.openedAt;

  const steps = [...facts.escalations].sort((a, b) => a.at.getTime() - b.at.getTime() || a.step - b.step);
  const levelAt = (time: Date): number | null => {
    let level: number | null = null;
    for (const step of steps) {
      if (step.at > time) break;
      level = step.level;
    }
    return level;
  };

  const acks = timeline.filter((event) => event.type === 'incident.acknowledged');
  const [first, ...later] = acks;
  const firstAck = first
    ? { at: first.at, by: first.actor, level: levelAt(first.at) ?? (typeof dataOf(first).level === 'number' ? (dataOf(first).level as number) : null) }
    : incident.acknowledgedAt
      ? { at: incident.acknowledgedAt, by: incident.acknowledgedBy, level: levelAt(incident.acknowledgedAt) }
      : null;

  // The incident row says whether it is resolved now (a reopen clears resolvedAt); the timeline says by whom.
  const lastResolved = [...timeline].reverse().find((event) => event.type === 'incident.resolved');
  const resolution = incident.resolvedAt
    ? { at: incident.resolvedAt, by: lastResolved?.actor ?? null, summary: lastResolved ? str(dataOf(lastResolved).summary) || null : null }
    : null;
  const opened = timeline.find((event) => event.type === 'incident.opened');
  const declaredBy = opened && dataOf(opened).declaredBy ? str(dataOf(opened).declaredBy) : null;
  return {
    start,
    levelAt,
    day: start.toISOString().slice(0, 10),
    firstAlertStart,
    firstAck,
    laterAcks: later.map((event) => ({ at: event.at, by: event.actor })),
    resolution,
    cycles: timeline.filter((event) => event.type === 'incident.resolved' || event.type === 'incident.reopened'),
    declaredBy: declaredBy ?? (incident.source === 'manual' ? '' : null),
  };
}

function servicesOf(facts: ReviewFacts): string[] {
  const services = new Set<string>();
  for (const alert of facts.alerts) {
    const labels = labelsOf(alert.labels);
    const service = labels.service ?? labels.job;
    if (service) services.add(service);
  }
  if (services.size === 0) {
    const labels = labelsOf(facts.incident.labels);
    const service = labels.service ?? labels.job;
    if (service) services.add(service);
  }
  return [...services].sort();
}

function summarySection(facts: ReviewFacts, c: Computed, runbook: Runbook | undefined, review: ReviewStatus | undefined): string[] {
  const { incident } = facts;
  const t = (at: Date) => timeOfDay(at, c.day);
  const lines: string[] = ['## Summary', '', `All times are UTC; offsets count from ${formatDateTime(c.start)} UTC, ${c.firstAlertStart && c.firstAlertStart <= incident.openedAt ? 'when the first alert started' : 'when the incident opened'}.`, ''];
  const bullet = (name: string, text: string) => lines.push(`- **${name}:** ${text}`);

  bullet('Severity', inline(incident.severity, 40));
  const status = c.resolution
    ? `resolved at ${t(c.resolution.at)}${c.resolution.by ? ` by ${who(c.resolution.by)}` : ''}${c.resolution.summary ? ` — ${inline(c.resolution.summary, 300)}` : ''}`
    : incident.status === 'acknowledged'
      ? 'acknowledged, still open'
      : incident.status === 'reopened'
        ? 'reopened, still open'
        : 'still open, not acknowledged';
  bullet('Status', status);
  const services = servicesOf(facts);
  bullet('Services', services.length > 0 ? services.map((service) => inline(service, 80)).join(', ') : facts.alerts.length > 0 ? 'none named (no `service` or `job` label on the alerts)' : 'unknown (no alerts)');
  bullet('Alerts', facts.alerts.length > 0 ? `${plural(facts.alerts.length, 'alert')}${facts.joinedGroups.length > 0 ? `, from ${plural(facts.joinedGroups.length + 1, 'alert group')}` : ''} (listed below)` : incident.source === 'manual' ? 'none: declared by hand' : 'none recorded');
  bullet('Runbook', runbook ? `${inline(runbook.title, 120)} (\`${inline(runbook.id, 80)}\`)` : incident.runbookId ? `\`${inline(incident.runbookId, 80)}\`` : 'none');
  if (incident.channelName || incident.channelId) bullet('Channel', `#${inline(incident.channelName ?? incident.channelId ?? '', 80)}`);

  const declared = c.declaredBy !== null ? `declared by hand${c.declaredBy ? ` by ${who(c.declaredBy)}` : ''}` : 'no alert recorded';
  if (c.firstAlertStart) {
    bullet(
      'Impact window',
      c.resolution
        ? `${formatDuration(c.firstAlertStart, c.resolution.at)} (${t(c.firstAlertStart)} → ${t(c.resolution.at)}, first alert start to resolution)`
        : `from ${t(c.firstAlertStart)}, still open (first alert start to resolution)`,
    );
    const detect = secondsBetween(c.firstAlertStart, incident.openedAt);
    bullet(
      'Time to detect',
      detect >= 0
        ? `${formatSeconds(detect)} (first alert started ${t(c.firstAlertStart)}, incident opened ${t(incident.openedAt)})`
        : `not measurable: the incident opened at ${t(incident.openedAt)}, ${formatSeconds(-detect)} before its first alert started (${t(c.firstAlertStart)})`,
    );
  } else {
    bullet(
      'Impact window',
      `unknown: ${declared}, so no start is on record${c.resolution ? ` (from opening to resolution: ${formatDuration(incident.openedAt, c.resolution.at)}, ${t(incident.openedAt)} → ${t(c.resolution.at)})` : ` (open since ${t(incident.openedAt)}, still open)`}`,
    );
    bullet('Time to detect', `unknown: ${declared}`);
  }

  if (c.firstAck) {
    const again = c.laterAcks.length > 0 ? `; again after reopening: ${c.laterAcks.map((ack) => `${who(ack.by)} at ${t(ack.at)}`).join(', ')}` : '';
    bullet(
      'Time to acknowledge',
      `${formatDuration(incident.openedAt, c.firstAck.at)} (${c.firstAck.by ? `${who(c.firstAck.by)} ` : ''}at ${t(c.firstAck.at)}${c.firstAck.level ? `, at L${c.firstAck.level}` : ''})${again}`,
    );
  } else {
    bullet('Time to acknowledge', c.resolution ? 'not acknowledged (resolved without an acknowledgement)' : 'not acknowledged');
  }
  bullet('Time to resolve', c.resolution ? `${formatDuration(incident.openedAt, c.resolution.at)} (opened ${t(incident.openedAt)}, resolved ${t(c.resolution.at)})` : `still open (opened ${t(incident.openedAt)})`);

  const reopens = c.cycles.filter((event) => event.type === 'incident.reopened').length;
  if (reopens > 0) {
    const steps = c.cycles.map((event, index) => `${event.type === 'incident.reopened' ? 'reopened' : index === 0 ? 'resolved' : 'resolved again'} ${t(event.at)}`);
    bullet('Reopened', `${plural(reopens, 'time')}: ${steps.join(', ')}`);
  }

  const reached = new Map<number, Date>();
  for (const step of facts.escalations) if (!reached.has(step.level)) reached.set(step.level, step.at);
  const levels = [...reached.entries()].sort(([a], [b]) => a - b);
  bullet(
    'Escalation',
    levels.length > 0
      ? `reached L${Math.max(...reached.keys())}: ${levels.map(([level, at]) => `L${level} at ${t(at)}`).join(', ')}`
      : incident.policyName
        ? 'no level notified'
        : 'no escalation policy',
  );

  const outcomes = new Map<string, number>();
  for (const run of facts.actionRuns) outcomes.set(run.status, (outcomes.get(run.status) ?? 0) + 1);
  bullet('Actions', facts.actionRuns.length > 0 ? `${plural(facts.actionRuns.length, 'run')}: ${[...outcomes.entries()].map(([status, count]) => `${count} ${OUTCOME[status] ?? status}`).join(', ')}` : 'none run');

  const notes = facts.timeline.filter((event) => event.type === 'note.added').length;
  const pins = facts.timeline.filter((event) => event.type === 'note.pinned').length;
  bullet('Notes', notes + pins > 0 ? `${plural(notes, 'note')}, ${plural(pins, 'pinned message')}` : 'none');
  bullet('Timeline', plural(facts.timeline.length, 'event'));
  if (review) {
    const owner = review.owner ? who(review.owner) : 'nobody yet (`/incident review owner @someone`)';
    const state = review.state === 'done' ? `done${review.completedBy ? ` by ${who(review.completedBy)}` : ''}${review.completedAt ? ` at ${formatDateTime(review.completedAt)} UTC` : ''}` : 'draft';
    bullet('Review', `owned by ${owner}; due ${formatDateTime(review.dueAt)} UTC; ${state}`);
  }
  return lines;
}

function alertsSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Services and alerts', ''];
  const services = servicesOf(facts);
  lines.push(services.length > 0 ? `Services (from the alerts' \`service\` or \`job\` label): ${services.map((service) => inline(service, 80)).join(', ')}.` : 'No service named.');
  if (facts.joinedGroups.length > 0) lines.push('', `Alert groups that joined after the incident opened: ${facts.joinedGroups.map((key) => `\`${inline(key, 120)}\``).join(', ')}.`);
  lines.push('');
  if (facts.alerts.length === 0) {
    lines.push(c.declaredBy !== null ? '_No alerts: the incident was declared by hand._' : '_No alerts are linked to this incident._');
    return lines;
  }
  lines.push('| Alert | Service | Started (UTC) | Ended (UTC) | Summary | Link |', '|---|---|---|---|---|---|');
  for (const alert of facts.alerts) {
    const labels = labelsOf(alert.labels);
    const summary = labelsOf(alert.annotations).summary;
    const ended = alert.status === 'resolved' ? (alert.endsAt ? timeOfDay(alert.endsAt, c.day) : 'resolved') : 'still firing';
    lines.push(
      `| ${inline(alert.name, 120)} | ${inline(labels.service ?? labels.job ?? '—', 80)} | ${timeOfDay(alert.startsAt, c.day)} | ${ended} | ${summary ? inline(str(summary), 200) : '—'} | ${alert.generatorUrl ? markdownLink(alert.source, alert.generatorUrl) : '—'} |`,
    );
  }
  return lines;
}

function escalationSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Escalation', ''];
  const { incident } = facts;
  if (facts.escalations.length === 0) {
    lines.push(incident.policyName ? `Policy \`${inline(incident.policyName, 80)}\`: no level was notified.` : 'No escalation policy: nobody was paged.');
    return lines;
  }
  const highest = Math.max(...facts.escalations.map((step) => step.level));
  lines.push(`${incident.policyName ? `Policy \`${inline(incident.policyName, 80)}\`; h` : 'H'}ighest level reached: L${highest}.`, '');
  lines.push('| Step | Level | When (UTC) | Offset | Why | Notified |', '|---|---|---|---|---|---|');
  for (const step of facts.escalations) {
    const why = `${REASON[step.reason] ?? inline(step.reason, 40)}${step.reason === 'manual' || step.actor !== 'bot' ? ` by ${who(step.actor)}` : ''}${step.note ? `: ${inline(step.note, 200)}` : ''}`;
    lines.push(`| ${step.step} | L${step.level} | ${timeOfDay(step.at, c.day)} | ${formatOffset(c.start, step.at)} | ${why} | ${notified(step.notify)} |`);
  }
  return lines;
}

function actionsSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Actions run', ''];
  if (facts.actionRuns.length === 0) {
    lines.push('_No runbook action was run._');
    return lines;
  }
  lines.push('| Requested (UTC) | Offset | Action | Kind | Run by | Outcome | Finished (UTC) | Took |', '|---|---|---|---|---|---|---|---|');
  for (const run of facts.actionRuns) {
    const detail = run.summary ?? run.error;
    const outcome = `${OUTCOME[run.status] ?? inline(run.status, 40)}${detail ? `: ${inline(detail, 200)}` : ''}${run.attempts > 1 ? ` (${run.attempts} attempts)` : ''}`;
    lines.push(
      `| ${timeOfDay(run.requestedAt, c.day)} | ${formatOffset(c.start, run.requestedAt)} | ${inline(run.label, 120)} (\`${inline(run.actionId, 80)}\`) | ${inline(run.kind, 20)} | ${who(run.requestedBy)} | ${outcome} | ${run.finishedAt ? timeOfDay(run.finishedAt, c.day) : '—'} | ${formatRunTime(run.durationMs)} |`,
    );
  }
  return lines;
}

function notesSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Notes and pinned messages', ''];
  const notes = facts.timeline.filter((event) => event.type === 'note.added' || event.type === 'note.pinned');
  if (notes.length === 0) {
    lines.push('_No notes and no pinned messages._');
    return lines;
  }
  for (const event of notes) {
    const data = dataOf(event);
    const author = str(data.author) || event.actor;
    const head =
      event.type === 'note.pinned'
        ? `message by ${who(author)}, pinned by ${who(event.actor)}${data.permalink ? ` · ${markdownLink('permalink', str(data.permalink))}` : ''}`
        : `note by ${who(author)}${data.permalink ? ` · ${markdownLink('permalink', str(data.permalink))}` : ''}`;
    lines.push(`**${timeOfDay(event.at, c.day)}** (${formatOffset(c.start, event.at)}) · ${head}`, '', quote(str(data.text)), '');
  }
  lines.pop();
  return lines;
}

function timelineSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Timeline', ''];
  if (facts.timeline.length === 0) {
    lines.push('_The timeline is empty._');
    return lines;
  }
  lines.push('| Time (UTC) | Offset | Event | By |', '|---|---|---|---|');
  for (const event of facts.timeline) lines.push(`| ${timeOfDay(event.at, c.day)} | ${formatOffset(c.start, event.at)} | ${describeEvent(event, c.levelAt)} | ${who(event.actor)} |`);
  return lines;
}

/** The Prevention section of the runbook as the first content of "Tests and alerts to add". */
function preventionSeed(runbook: Runbook | undefined): string | undefined {
  const prevention = runbook?.sections.find((section) => section.title.trim().toLowerCase() === 'prevention')?.markdown.trim();
  if (!runbook || !prevention) return undefined;
  // A review marker inside the runbook text would end the section early when read back.
  const safe = prevention.replace(/<!--(\s*\/?review:)/g, '&lt;!--$1');
  return `_From the Prevention section of the runbook \`${runbook.id}\`: keep what applies, add what would have caught this sooner._\n\n${safe}`;
}

/** What a people-written section holds until someone writes it: a placeholder, or the runbook's Prevention section. */
export function sectionDefault(key: HumanSectionKey, runbook: Runbook | undefined): string {
  const section = HUMAN_SECTIONS.find((candidate) => candidate.key === key);
  if (!section) throw new Error(`unknown review section ${key}`);
  return key === 'tests-and-alerts' ? (preventionSeed(runbook) ?? section.placeholder) : section.placeholder;
}

function humanSection(key: HumanSectionKey, title: string, content: string, preface: string[] = []): string[] {
  return [`## ${title}`, '', ...preface, `<!-- review:${key} -->`, content, `<!-- /review:${key} -->`];
}

/** The action items recorded with `/incident followup`, ahead of those people write into the section. */
function followUpLines(items: readonly FollowUpItem[]): string[] {
  if (items.length === 0) return [];
  const lines = ['Recorded with `/incident followup`:', '', '| Owner | Deadline | Item | Added by |', '|---|---|---|---|'];
  for (const item of items) lines.push(`| ${who(item.owner)} | ${item.dueOn.toISOString().slice(0, 10)} | ${inline(item.text, 500)} | ${who(item.createdBy)} |`);
  lines.push('', 'More:', '');
  return lines;
}

/**
 * Drafts the post-incident review as Markdown from the incident's record. Pure: the same facts
 * give the same text. The figures, alerts, escalation, actions, notes and timeline are computed;
 * the sections in HUMAN_SECTIONS are for people, seeded with placeholders (and the runbook's
 * Prevention section) or, on a re-draft, kept verbatim from `options.humanSections`.
 */
export function draftReview(facts: ReviewFacts, runbook: Runbook | undefined, options: DraftOptions = {}): string {
  const c = compute(facts);
  const kept = options.humanSections ?? {};
  const human = (key: HumanSectionKey) => {
    const section = HUMAN_SECTIONS.find((candidate) => candidate.key === key);
    if (!section) throw new Error(`unknown review section ${key}`);
    const given = kept[key];
    const fallback = sectionDefault(key, runbook);
    return humanSection(key, section.title, given ?? fallback, key === 'action-items' ? followUpLines(options.followUps ?? []) : []);
  };
  const blocks: string[][] = [
    [
      `# INC-${facts.incident.number}: ${inline(facts.incident.title, 300)}`,
      '',
      '<!-- Post-incident review drafted by the incident bot. Everything outside the review:… markers is computed from the record and rewritten when the review is drafted again; write between the markers. -->',
    ],
    summarySection(facts, c, runbook, options.review),
    human('impact'),
    alertsSection(facts, c),
    escalationSection(facts, c),
    actionsSection(facts, c),
    notesSection(facts, c),
    human('root-cause'),
    human('went-well'),
    human('went-poorly'),
    human('action-items'),
    human('tests-and-alerts'),
    timelineSection(facts, c),
  ];
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}
