/**
 * What Slack sends to /slack/events, shaped as Slack sends it: slash commands (form fields),
 * block_actions and view_submission (a `payload` form field holding JSON), and Events API callbacks.
 */
import type { BotIdentity, JsonObject, Message } from './slack-api/types.js';

export interface Actor {
  id: string;
  name: string;
}

function user(actor: Actor, bot: BotIdentity) {
  return { id: actor.id, username: actor.name, name: actor.name, team_id: bot.teamId };
}

export function slashCommandFields(o: { bot: BotIdentity; actor: Actor; channel: { id: string; name: string }; text: string; responseUrl: string; triggerId: string }): Record<string, string> {
  return {
    token: 'sandbox-verification-token',
    team_id: o.bot.teamId,
    team_domain: 'sandbox',
    channel_id: o.channel.id,
    channel_name: o.channel.name,
    user_id: o.actor.id,
    user_name: o.actor.name,
    command: '/incident',
    text: o.text,
    api_app_id: o.bot.appId,
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.triggerId,
  };
}

export function blockActionsPayload(o: { bot: BotIdentity; actor: Actor; channel: { id: string; name: string }; message: Message; action: JsonObject; blockId: string; responseUrl: string; triggerId: string; actionTs: string }): JsonObject {
  return {
    type: 'block_actions',
    user: user(o.actor, o.bot),
    api_app_id: o.bot.appId,
    token: 'sandbox-verification-token',
    container: { type: 'message', message_ts: o.message.ts, channel_id: o.channel.id, is_ephemeral: false },
    trigger_id: o.triggerId,
    team: { id: o.bot.teamId, domain: 'sandbox' },
    enterprise: null,
    is_enterprise_install: false,
    channel: o.channel,
    message: { ...o.message, channel: undefined },
    state: { values: {} },
    response_url: o.responseUrl,
    actions: [{ ...o.action, block_id: o.blockId, action_ts: o.actionTs }],
  };
}

export function viewSubmissionPayload(o: { bot: BotIdentity; actor: Actor; view: JsonObject; values: JsonObject; triggerId: string }): JsonObject {
  return {
    type: 'view_submission',
    team: { id: o.bot.teamId, domain: 'sandbox' },
    user: user(o.actor, o.bot),
    api_app_id: o.bot.appId,
    token: 'sandbox-verification-token',
    trigger_id: o.triggerId,
    view: { ...o.view, state: { values: o.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function reactionAddedEvent(o: { bot: BotIdentity; actor: Actor; channelId: string; message: Message; reaction: string; eventTs: string; eventId: string; eventTime: number }): JsonObject {
  return {
    token: 'sandbox-verification-token',
    team_id: o.bot.teamId,
    api_app_id: o.bot.appId,
    event: { type: 'reaction_added', user: o.actor.id, reaction: o.reaction, item: { type: 'message', channel: o.channelId, ts: o.message.ts }, item_user: o.message.user, event_ts: o.eventTs },
    type: 'event_callback',
    event_id: o.eventId,
    event_time: o.eventTime,
    authorizations: [{ team_id: o.bot.teamId, user_id: o.bot.userId, is_bot: true }],
  };
}
