import { plainText } from './plain-text.js';
import { parseCommsCommand, type CommsCommand } from '../comms/parse-comms-command.js';
import type { StatusPageCommand } from '../status-page/handle-status-page-command.js';

/** `/incident <subcommand> [text]` as a typed command; anything unknown becomes help. */
export type IncidentCommand =
  | { name: 'help'; unknown?: string }
  | { name: 'status' }
  | { name: 'runbook'; runbookId?: string }
  | { name: 'ack' }
  | { name: 'escalate'; level?: number; reason?: string }
  | { name: 'resolve'; summary?: string }
  | { name: 'declare'; title: string; severity?: string }
  | { name: 'severity'; severity: string }
  | { name: 'note'; text: string }
  | { name: 'timeline' }
  | { name: 'review' }
  | { name: 'review_done' }
  | { name: 'review_owner'; owner: string }
  | { name: 'followup'; owner: string; due: string; text: string }
  | CommsCommand
  | StatusPageCommand
  | { name: 'oncall'; args: string[] };

/**
 * A person or user group as a slash command delivers it with escaping on (`<@U123|alice>`,
 * `<!subteam^S123|@oncall>`), or a bare ID; `me` is the person typing (given as `self`).
 */
export function parseOwner(token: string, self: string): string | undefined {
  if (token.toLowerCase() === 'me') return self;
  const user = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (user) return user[1];
  const group = /^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (group) return group[1];
  // Slack IDs run to nine characters or more; shorter capitals (`SRE`, `UNKNOWN`) are words.
  return /^[UWS][A-Z0-9]{8,}$/.test(token) ? token : undefined;
}

export function parseIncidentCommand(text: string): IncidentCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const tail = plainText(trimmed.slice(first.length).trim());
  switch (first.toLowerCase()) {
    case '':
    case 'help':
      return { name: 'help' };
    case 'status':
      return { name: 'status' };
    case 'runbook':
      return rest[0] ? { name: 'runbook', runbookId: rest[0].toLowerCase() } : { name: 'runbook' };
    case 'ack':
    case 'acknowledge':
      return { name: 'ack' };
    case 'escalate': {
      const level = /^L([1-9])$/i.exec(rest[0] ?? '');
      const reason = (level ? tail.slice((rest[0] ?? '').length) : tail).trim();
      return { name: 'escalate', ...(level ? { level: Number(level[1]) } : {}), ...(reason ? { reason: reason.slice(0, 500) } : {}) };
    }
    case 'resolve':
      return tail ? { name: 'resolve', summary: tail.slice(0, 1_000) } : { name: 'resolve' };
    case 'declare': {
      const severity = /(?:^|\s)--severity[= ](\S+)/.exec(tail);
      const title = tail.replace(/(?:^|\s)--severity[= ]\S+/, '').trim();
      if (!title) return { name: 'help', unknown: trimmed.slice(0, 100) };
      return { name: 'declare', title: title.slice(0, 200), ...(severity?.[1] ? { severity: severity[1] } : {}) };
    }
    case 'severity':
      return rest[0] ? { name: 'severity', severity: rest[0] } : { name: 'help', unknown: trimmed.slice(0, 100) };
    case 'note':
      return tail ? { name: 'note', text: tail.slice(0, 4_000) } : { name: 'help', unknown: trimmed.slice(0, 100) };
    case 'timeline':
      return { name: 'timeline' };
    case 'review': {
      const sub = (rest[0] ?? '').toLowerCase();
      if (sub === '') return { name: 'review' };
      if (sub === 'done' || sub === 'complete') return { name: 'review_done' };
      if (sub === 'owner' && rest[1]) return { name: 'review_owner', owner: rest[1] };
      return { name: 'help', unknown: trimmed.slice(0, 100) };
    }
    case 'followup':
    case 'follow-up': {
      const [owner, due, ...words] = rest;
      const text = plainText(words.join(' ').trim());
      if (!owner || !due || !text) return { name: 'help', unknown: trimmed.slice(0, 100) };
      return { name: 'followup', owner, due, text: text.slice(0, 1_000) };
    }
    case 'statuspage':
    case 'status-page': {
      const action = (rest[0] ?? '').toLowerCase();
      const number = /^INC-(\d{1,9})$/i.exec(rest[1] ?? '');
      if ((action !== 'publish' && action !== 'hide') || rest.length > 2 || (rest[1] && !number)) return { name: 'help', unknown: trimmed.slice(0, 100) };
      return { name: 'statuspage', action, ...(number ? { number: Number(number[1]) } : {}) };
    }
    case 'oncall':
    case 'on-call':
      return { name: 'oncall', args: rest.slice(0, 8) };
    default: {
      const comms = parseCommsCommand(first.toLowerCase(), rest, tail);
      return comms && comms !== 'bad' ? comms : { name: 'help', unknown: trimmed.slice(0, 100) };
    }
  }
}
