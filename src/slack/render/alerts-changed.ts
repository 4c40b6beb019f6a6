import type { KnownBlock } from '@slack/types';
import type { AlertBrief, AlertsChangedPost } from '../../record/channel-post.js';
import { LIMITS, section, truncate } from './block-kit.js';
import { escapeMrkdwn, link } from './mrkdwn.js';

const MAX_LISTED = 20;

function line(alert: AlertBrief): string {
  const where = alert.labels.instance ?? alert.labels.service ?? alert.labels.job;
  const text = `${escapeMrkdwn(alert.name)}${where ? ` on \`${escapeMrkdwn(where)}\`` : ''}${alert.summary ? ` — ${escapeMrkdwn(alert.summary)}` : ''}`;
  return alert.generatorUrl ? `• ${text} (${link(alert.generatorUrl, 'source')})` : `• ${text}`;
}

function list(alerts: AlertBrief[]): string {
  const lines = alerts.slice(0, MAX_LISTED).map(line);
  if (alerts.length > MAX_LISTED) lines.push(`_…and ${alerts.length - MAX_LISTED} more_`);
  return lines.join('\n');
}

/** The short channel message for what a later notification changed. */
export function renderAlertsChanged(change: AlertsChangedPost): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  const text: string[] = [];
  if (change.firing.length > 0) {
    const title = `🔥 ${change.firing.length} new alert${change.firing.length === 1 ? '' : 's'} firing`;
    blocks.push(section(`*${title}*\n${list(change.firing)}`));
    text.push(title);
  }
  if (change.resolved.length > 0) {
    const title = `✅ ${change.resolved.length} alert${change.resolved.length === 1 ? '' : 's'} resolved`;
    blocks.push(section(`*${title}*\n${list(change.resolved)}`));
    text.push(title);
  }
  return { text: truncate(text.join(' · '), LIMITS.messageText), blocks };
}
