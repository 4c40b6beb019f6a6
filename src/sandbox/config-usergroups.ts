import type { BotConfig } from '../config/config-file.js';

const GROUP = /^S[A-Z0-9]+$/;

/**
 * The Slack user groups (S…) the config names: in escalation levels, responders, the people
 * invited to every incident channel, and schedules' `slack_usergroup`. In Slack they exist
 * already; the sandbox's workspace creates them, so the bot's usergroups.* calls find them.
 */
export function configUsergroups(config: BotConfig): string[] {
  const named = [
    ...Object.values(config.escalation).flatMap((policy) => policy.levels.flatMap((level) => level.notify)),
    ...config.responders,
    ...config.incidents.invite,
    ...Object.values(config.schedules).flatMap((schedule) => (schedule.slack_usergroup ? [schedule.slack_usergroup] : [])),
  ];
  return [...new Set(named.filter((id) => GROUP.test(id)))];
}
