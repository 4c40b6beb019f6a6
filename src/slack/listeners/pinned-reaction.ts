import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { addNote } from '../../incidents/add-note.js';
import { incidentInChannel } from '../../record/incident-in-channel.js';

const reactionSchema = z.object({
  reaction: z.string(),
  user: z.string(),
  item: z.object({ type: z.literal('message'), channel: z.string(), ts: z.string() }),
});

/**
 * A message in an incident channel marked with the configured reaction (📌 by default) goes to the
 * timeline as a note, with its author and a link. Events are acknowledged by Bolt before this runs.
 */
export function registerPinnedReactions(app: App, deps: Deps): void {
  app.event('reaction_added', async ({ event, client }) => {
    const parsed = reactionSchema.safeParse(event);
    if (!parsed.success || parsed.data.reaction !== deps.config.incidents.pin_reaction) return;
    const { item, user } = parsed.data;
    const incidentId = await incidentInChannel(deps, item.channel);
    if (!incidentId) return;
    const history = await client.conversations.history({ channel: item.channel, latest: item.ts, oldest: item.ts, inclusive: true, limit: 1 });
    const replies = history.messages?.length ? undefined : await client.conversations.replies({ channel: item.channel, ts: item.ts, latest: item.ts, inclusive: true, limit: 1 });
    const message = history.messages?.[0] ?? replies?.messages?.find((candidate) => candidate.ts === item.ts);
    if (!message) return;
    const permalink = await client.chat.getPermalink({ channel: item.channel, message_ts: item.ts }).then((result) => result.permalink, () => undefined);
    const added = await addNote(deps, incidentId, { author: message.user ?? message.bot_id ?? 'unknown', text: message.text ?? '', pinnedBy: user, permalink, messageTs: item.ts });
    if (added === 'added') deps.log.info({ incidentId: incidentId, messageTs: item.ts }, 'pinned message added to the timeline');
  });
}
