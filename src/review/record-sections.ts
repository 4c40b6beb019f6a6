import { ESCALATION_REASON, ACTION_OUTCOME, describeEvent } from '../record/describe-event.js';
import type { ReviewFacts } from './review-facts.js';
import { str, labelsOf, notified, REVIEW_WORDS, servicesOf, type Computed } from './review-figures.js';
import { formatOffset, formatRunTime, inline, markdownLink, quote, timeOfDay, who } from './review-format.js';

/** The review's sections computed from the record: alerts, escalation, actions, notes and the timeline. */
/** What an alert's link opens: Alertmanager's generatorURL is the rule's graph in Prometheus. */
const SOURCE_LINK: Record<string, string> = { alertmanager: 'Prometheus graph', sentry: 'Sentry' };

export function alertsSection(facts: ReviewFacts, c: Computed): string[] {
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
      `| ${inline(alert.name, 120)} | ${inline(labels.service ?? labels.job ?? '—', 80)} | ${timeOfDay(alert.startsAt, c.day)} | ${ended} | ${summary ? inline(str(summary), 200) : '—'} | ${alert.generatorUrl ? markdownLink(SOURCE_LINK[alert.source] ?? 'source', alert.generatorUrl) : '—'} |`,
    );
  }
  return lines;
}

export function escalationSection(facts: ReviewFacts, c: Computed): string[] {
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
    const why = `${ESCALATION_REASON[step.reason] ?? inline(step.reason, 40)}${step.reason === 'manual' || step.actor !== 'bot' ? ` by ${who(step.actor)}` : ''}${step.note ? `: ${inline(step.note, 200)}` : ''}`;
    lines.push(`| ${step.step} | L${step.level} | ${timeOfDay(step.at, c.day)} | ${formatOffset(c.start, step.at)} | ${why} | ${notified(step.notify)} |`);
  }
  return lines;
}

export function actionsSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Actions run', ''];
  if (facts.actionRuns.length === 0) {
    lines.push('_No runbook action was run._');
    return lines;
  }
  lines.push('| Requested (UTC) | Offset | Action | Kind | Run by | Outcome | Finished (UTC) | Took |', '|---|---|---|---|---|---|---|---|');
  for (const run of facts.actionRuns) {
    const detail = run.summary ?? run.error;
    const outcome = `${ACTION_OUTCOME[run.status] ?? inline(run.status, 40)}${detail ? `: ${inline(detail, 200)}` : ''}${run.attempts > 1 ? ` (${run.attempts} attempts)` : ''}`;
    lines.push(
      `| ${timeOfDay(run.requestedAt, c.day)} | ${formatOffset(c.start, run.requestedAt)} | ${inline(run.label, 120)} (\`${inline(run.actionId, 80)}\`) | ${inline(run.kind, 20)} | ${who(run.requestedBy)} | ${outcome} | ${run.finishedAt ? timeOfDay(run.finishedAt, c.day) : '—'} | ${formatRunTime(run.durationMs)} |`,
    );
  }
  return lines;
}

export function notesSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Notes and pinned messages', ''];
  const notes = facts.timeline.filter((event) => event.type === 'note.added' || event.type === 'note.pinned');
  if (notes.length === 0) {
    lines.push('_No notes and no pinned messages._');
    return lines;
  }
  for (const event of notes) {
    const data = event.data;
    const author = data.author || event.actor;
    const head =
      event.type === 'note.pinned'
        ? `message by ${who(author)}, pinned by ${who(event.actor)}${data.permalink ? ` · ${markdownLink('permalink', data.permalink)}` : ''}`
        : `note by ${who(author)}${data.permalink ? ` · ${markdownLink('permalink', data.permalink)}` : ''}`;
    lines.push(`**${timeOfDay(event.at, c.day)}** (${formatOffset(c.start, event.at)}) · ${head}`, '', quote(data.text), '');
  }
  lines.pop();
  return lines;
}

export function timelineSection(facts: ReviewFacts, c: Computed): string[] {
  const lines = ['## Timeline', ''];
  if (facts.timeline.length === 0) {
    lines.push('_The timeline is empty._');
    return lines;
  }
  lines.push('| Time (UTC) | Offset | Event | By |', '|---|---|---|---|');
  for (const event of facts.timeline) lines.push(`| ${timeOfDay(event.at, c.day)} | ${formatOffset(c.start, event.at)} | ${describeEvent(event, REVIEW_WORDS, c.levelAt)} | ${who(event.actor)} |`);
  return lines;
}
