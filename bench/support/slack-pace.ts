import { SLACK_TIERS } from '../../src/slack/slack-pacer.js';

/**
 * A `slack` config section that lifts the bot's own Slack pacing (slack.rate_limits overriding
 * every tier it knows with a limit no bench reaches), so that a bench measures the bot and not
 * Slack's documented tiers: with them, 200 incidents need ten minutes of conversations.create
 * (Tier 2, 20 a minute) before every channel exists. The fake Slack enforces no limits by default.
 */
export function liftedSlackPace(): { rate_limits: Record<string, { max: number; window: string; per_channel: boolean }> } {
  return {
    rate_limits: Object.fromEntries(Object.entries(SLACK_TIERS).map(([method, rule]) => [method, { max: 1_000_000, window: '1m', per_channel: rule.perChannel ?? false }])),
  };
}

/** One line saying which Slack limits a run had. */
export function paceDescription(tiers: boolean): string {
  return tiers
    ? "Slack pacing: the bot's shipped pacing to Slack's tiers (conversations.create and setTopic 20/min, invite and chat.update 50/min, chat.postMessage 5 per 5 s per channel), fake Slack enforcing the tiers too"
    : "Slack pacing: lifted (slack.rate_limits set far above any bench's rate) and the fake Slack answering at once without limits — the bot's own latency; --slack-tiers keeps Slack's tiers";
}
