import type { WebClient } from '@slack/web-api';

const botUserIds = new WeakMap<WebClient, Promise<string>>();

/** The bot's own Slack user id (auth.test), asked once per client. */
export function botUserId(slack: WebClient): Promise<string> {
  let known = botUserIds.get(slack);
  if (!known) {
    known = slack.auth.test().then((answer) => {
      if (!answer.user_id) throw new Error('auth.test answered without a user_id');
      return answer.user_id;
    });
    known.catch(() => botUserIds.delete(slack));
    botUserIds.set(slack, known);
  }
  return known;
}

const MAX_PAGES = 20;

/**
 * The channel of this name that the bot created itself, if it is a member of one: users.conversations
 * lists only the bot's own channels (few, unlike conversations.list over the whole workspace), and
 * `creator` tells the bot's channels from one someone else made under the same name. Only the
 * kind the bot creates is listed: private channels need the groups:read scope.
 */
export async function findBotChannel(slack: WebClient, name: string, isPrivate: boolean): Promise<{ id: string; name: string } | undefined> {
  const self = await botUserId(slack);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await slack.users.conversations({ types: isPrivate ? 'private_channel' : 'public_channel', exclude_archived: true, limit: 999, ...(cursor ? { cursor } : {}) });
    const found = answer.channels?.find((channel) => channel.name === name && channel.creator === self);
    if (found?.id) return { id: found.id, name };
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
