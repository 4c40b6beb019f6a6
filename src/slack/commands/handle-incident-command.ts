import type { Deps } from '../../deps.js';
import { acknowledgeIncident } from '../../escalation/acknowledge-incident.js';
import { escalateManually } from '../../escalation/escalate-manually.js';
import { describeStatus } from './describe-status.js';
import { incidentInChannel } from '../../record/incident-in-channel.js';
import { repostRunbook, type RepostOutcome } from '../../incidents/repost-runbook.js';
import { resolveIncident } from '../../incidents/resolve-incident.js';
import { addNote } from '../../incidents/add-note.js';
import { changeSeverity } from '../../incidents/change-severity.js';
import { declareIncident } from '../../incidents/declare-incident.js';
import { describeTimeline } from './describe-timeline.js';
import { addFollowUp } from '../../review/add-follow-up.js';
import { completeReview } from '../../review/complete-review.js';
import { describeReview } from './describe-review.js';
import { parseDueDate } from '../../review/parse-due-date.js';
import { setReviewOwner } from '../../review/set-review-owner.js';
import { ackAnswer, completeAnswer, escalateAnswer, resolveAnswer } from './outcome-answers.js';
import { oncallCommand } from './oncall-command.js';
import { parseOwner, type IncidentCommand } from './parse-incident-command.js';
import { ownerMention } from '../render/review-summary.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { handleCommsCommand, type CommsContext } from '../comms/handle-comms-command.js';
import { handleStatusPageCommand } from '../status-page/handle-status-page-command.js';

const NOT_HERE = 'Run this in an incident channel.';
const NOT_A_PERSON = escapeMrkdwn('Name the owner with a mention (`@alice`, a user group, or `me`). Usage: `/incident followup <@owner> <due> <text>`.');

/** Runs a parsed `/incident` subcommand (after the ack) and returns the ephemeral answer, if any. */
export async function handleIncidentCommand(deps: Deps, command: Exclude<IncidentCommand, { name: 'help' }>, context: CommsContext): Promise<string | undefined> {
  switch (command.name) {
    case 'update':
    case 'subscribe':
    case 'unsubscribe':
    case 'role':
    case 'roles':
      return handleCommsCommand(deps, command, context);
  }
  if (command.name === 'statuspage') return handleStatusPageCommand(deps, command, context);
  if (command.name === 'status') return describeStatus(deps, context.channelId);
  if (command.name === 'runbook') return runbookAnswer(await repostRunbook(deps, context.channelId, context.userId, command.runbookId));
  if (command.name === 'oncall') return oncallCommand(deps, command.args, context.userId);
  if (command.name === 'declare') {
    const declared = await declareIncident(deps, { title: command.title, severity: command.severity, userId: context.userId });
    return declared.kind === 'declared'
      ? `Declared *INC-${declared.number}*: its channel is being created and you will be invited.`
      : `Unknown severity. Use one of: ${declared.allowed.map((name) => `\`${name}\``).join(', ')}.`;
  }
  const incidentId = await incidentInChannel(deps, context.channelId);
  if (!incidentId) return NOT_HERE;
  const incident = { id: incidentId };
  switch (command.name) {
    case 'ack':
      return ackAnswer(await acknowledgeIncident(deps, incident.id, context.userId, 'slack'));
    case 'escalate':
      return escalateAnswer(await escalateManually(deps, incident.id, { userId: context.userId, level: command.level, reason: command.reason, source: 'slack' }));
    case 'resolve':
      return resolveAnswer(await resolveIncident(deps, incident.id, { actor: context.userId, source: 'slack', summary: command.summary }));
    case 'severity': {
      const outcome = await changeSeverity(deps, incident.id, command.severity, context.userId);
      if (outcome.kind === 'bad_severity') return `Unknown severity. Use one of: ${outcome.allowed.map((name) => `\`${name}\``).join(', ')}.`;
      return outcome.kind === 'unchanged' ? 'The severity is already that.' : undefined;
    }
    case 'note':
      await addNote(deps, incident.id, { author: context.userId, text: command.text });
      return '📝 Noted on the timeline.';
    case 'timeline':
      return describeTimeline(deps, incident.id);
    case 'review':
      return describeReview(deps, incident.id);
    case 'review_done':
      return completeAnswer(await completeReview(deps, incident.id, context.userId));
    case 'review_owner': {
      const owner = parseOwner(command.owner, context.userId);
      if (!owner) return NOT_A_PERSON;
      const outcome = await setReviewOwner(deps, incident.id, owner, context.userId);
      if (outcome.kind === 'no_review') return 'The review is drafted when the incident resolves; name its owner then.';
      if (outcome.kind === 'refused') return `Only the review's owner${outcome.owner ? ` (${ownerMention(outcome.owner)})` : ''} and the incident's responders may hand it over.`;
      return outcome.kind === 'unchanged' ? 'They already own the review.' : `The review is now owned by ${ownerMention(owner)}.`;
    }
    case 'followup': {
      const owner = parseOwner(command.owner, context.userId);
      if (!owner) return NOT_A_PERSON;
      const dueOn = parseDueDate(command.due, deps.clock.now());
      if (!dueOn) return escapeMrkdwn('The deadline must be today or later: `2026-12-01`, `tomorrow`, `3d` or `2w`. Usage: `/incident followup <@owner> <due> <text>`.');
      await addFollowUp(deps, incident.id, { owner, dueOn, text: command.text, createdBy: context.userId });
      return undefined;
    }
  }
}

function runbookAnswer(outcome: RepostOutcome): string | undefined {
  switch (outcome.kind) {
    case 'posted':
      return undefined;
    case 'not_incident_channel':
      return NOT_HERE;
    case 'no_runbook':
      return 'No runbook matched this incident. Name one: `/incident runbook <id>`.';
    case 'unknown_runbook':
      return `No runbook with that id. Available: ${outcome.available.map((id) => `\`${id}\``).join(', ')}`;
  }
}
