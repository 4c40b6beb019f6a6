import type { Runbook } from '../runbooks/runbook.js';
import { ACTION_OUTCOME } from '../record/describe-event.js';
import type { ReviewStatus } from './review-status.js';
import type { ReviewFacts } from './review-facts.js';
import { firstUpdateAt } from '../comms/time-to-first-update.js';
import { plural, notified, servicesOf, type Computed } from './review-figures.js';
import { formatDuration, formatDateTime, inline, secondsBetween, formatSeconds, timeOfDay, who } from './review-format.js';

/** The figures at the top of the review: status, services, detection, acknowledgement and resolution times, counts. */
export function summarySection(facts: ReviewFacts, c: Computed, runbook: Runbook | undefined, review: ReviewStatus | undefined): string[] {
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
  const firstUpdate = firstUpdateAt(facts.timeline);
  const updates = facts.timeline.filter((event) => event.type === 'update.posted').length;
  bullet('Time to first update', firstUpdate ? `${formatDuration(incident.openedAt, firstUpdate)} (at ${t(firstUpdate)}; ${plural(updates, 'update')} in all)` : 'no stakeholder update posted');
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
  bullet('Actions', facts.actionRuns.length > 0 ? `${plural(facts.actionRuns.length, 'run')}: ${[...outcomes.entries()].map(([status, count]) => `${count} ${ACTION_OUTCOME[status] ?? status}`).join(', ')}` : 'none run');

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
