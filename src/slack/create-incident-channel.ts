import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { channelName } from '../incidents/channel-name.js';
import { slackErrorCode } from './web-client.js';

const NUMBERED_VARIANTS = 8;

/** What an earlier attempt to create this incident's channel left behind, and how to record the next one. */
export interface ChannelIntent {
  /** The name an earlier attempt recorded (its answer may have been lost): tried, and adopted, first. */
  recorded: string | null;
  /** Records the name about to be created; called before conversations.create. */
  record(name: string): Promise<void>;
  /** The bot's own channel of this name that no incident owns yet: what an earlier attempt created. */
  findOrphan(name: string): Promise<{ id: string; name: string } | undefined>;
}

/**
 * Creates the incident channel, or adopts the one an earlier attempt created. Each name is recorded
 * before conversations.create; on `name_taken` the bot's own orphan of that name (an attempt whose
 * answer was lost, or whose process died before saving it) is adopted, and any other holder of the
 * name (an earlier incident the same day, a channel someone made by hand) moves on to `-2` … `-9`,
 * then a random suffix.
 */
export async function createIncidentChannel(slack: WebClient, options: { prefix: string; openedAt: Date; title: string; isPrivate: boolean }, intent: ChannelIntent): Promise<{ id: string; name: string; adopted: boolean }> {
  for (const name of candidateNames(options, intent.recorded)) {
    if (name !== intent.recorded) await intent.record(name);
    try {
      const result = await slack.conversations.create({ name, is_private: options.isPrivate });
      const id = result.channel?.id;
      if (!id) throw new Error('conversations.create answered without a channel id');
      return { id, name: result.channel?.name ?? name, adopted: false };
    } catch (error) {
      if (slackErrorCode(error) !== 'name_taken') throw error;
    }
    const orphan = await intent.findOrphan(name);
    if (orphan) return { ...orphan, adopted: true };
  }
  throw new Error(`no free channel name for "${options.title}"`);
}

function candidateNames(options: { prefix: string; openedAt: Date; title: string }, recorded: string | null): string[] {
  const suffixes = ['', ...Array.from({ length: NUMBERED_VARIANTS }, (_v, i) => String(i + 2)), randomBytes(3).toString('hex')];
  const names = suffixes.map((suffix) => channelName(options.prefix, options.openedAt, options.title, suffix));
  if (!recorded) return names;
  const at = names.indexOf(recorded);
  // A recorded random suffix is not among today's candidates: it is tried first, then a new one.
  return at === -1 ? [recorded, names.at(-1) as string] : names.slice(at);
}
