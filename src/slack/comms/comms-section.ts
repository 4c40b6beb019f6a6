import type { KnownBlock } from '@slack/types';
import type { CommsSummary } from '../../comms/comms-summary.js';
import { section } from '../render/block-kit.js';
import { slackDate } from '../render/review-summary.js';
import { updateStatusLabel } from './comms-labels.js';

/** The incident message's lines on roles, the latest update and when the next one is due. */
export function renderCommsSection(summary: CommsSummary, resolved: boolean): KnownBlock[] {
  const lines: string[] = [];
  if (summary.roles.length > 0) lines.push(`*Roles* ${summary.roles.map((held) => `${held.role} ${held.userId ? `<@${held.userId}>` : '_open_'}`).join(' · ')}`);
  const latest = summary.latest ? `${updateStatusLabel(summary.latest.status)} (${slackDate(summary.latest.postedAt, '{time}')})` : '_no update yet_ (`/incident update`)';
  const next = !resolved && summary.nextDueAt ? ` · next update ${summary.overdue ? '⚠️ *overdue*, was ' : ''}due ${slackDate(summary.nextDueAt, '{time}')}` : '';
  lines.push(`*Latest update* ${latest}${next}`);
  return [section(lines.join('\n'))];
}
