import type { AckOutcome } from '../../escalation/acknowledge-incident.js';
import type { ManualOutcome } from '../../escalation/escalate-manually.js';
import type { ResolveOutcome } from '../../incidents/resolve-incident.js';
import type { CompleteOutcome } from '../../review/complete-review.js';
import { ownerMention } from '../render/review-summary.js';

/** What the person who pressed or typed is told (ephemeral); undefined when the channel already says it. */
export function ackAnswer(outcome: AckOutcome): string | undefined {
  switch (outcome.kind) {
    case 'acknowledged':
      return undefined;
    case 'already':
      return outcome.by ? `Already acknowledged by <@${outcome.by}>.` : 'Already acknowledged.';
    case 'resolved':
      return 'This incident is resolved.';
    case 'refused':
      return "Only the people this incident's escalation policy names may acknowledge it (the operator can set `ack_by: anyone`). Escalate it instead if it needs someone.";
    case 'not_found':
      return 'This incident no longer exists.';
  }
}

export function escalateAnswer(outcome: ManualOutcome): string | undefined {
  switch (outcome.kind) {
    case 'escalated':
      return undefined;
    case 'no_policy':
      return 'This incident has no escalation policy: define `escalation.default` in the config file.';
    case 'resolved':
      return 'This incident is resolved.';
    case 'at_top':
      return `This incident's policy has ${outcome.levels} level(s): there is no higher level to escalate to.`;
    case 'already_at':
      return `This incident is already at L${outcome.level}.`;
    case 'not_found':
      return 'This incident no longer exists.';
  }
}

export function resolveAnswer(outcome: ResolveOutcome): string | undefined {
  switch (outcome.kind) {
    case 'resolved':
      return undefined;
    case 'already':
      return 'This incident is already resolved.';
    case 'refused':
      return "Only the people this incident's escalation policy names (and the configured responders) may resolve it.";
    case 'not_found':
      return 'This incident no longer exists.';
  }
}

export function completeAnswer(outcome: CompleteOutcome): string | undefined {
  switch (outcome.kind) {
    case 'done':
      return outcome.onTime ? undefined : 'Marked done, after its due time.';
    case 'already':
      return outcome.by ? `Already marked done by <@${outcome.by}>.` : 'Already marked done.';
    case 'no_review':
      return 'There is no review yet: it is drafted when the incident resolves.';
    case 'incident_open':
      return 'The incident is open again: the review can be marked done once it resolves.';
    case 'refused':
      return `Only the review's owner${outcome.owner ? ` (${ownerMention(outcome.owner)})` : ''} and the incident's responders may mark it done.`;
  }
}
