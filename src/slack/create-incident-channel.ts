import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { channelName } from '../incidents/channel-name.js';
import { slackErrorCode } from './web-client.js';

const NUMBERED_VARIANTS = 8;

/**
 * Creates the incident channel. On `name_taken` (an earlier incident the same day, or a channel
 * someone made by hand) it tries `-2` … `-9`, then a random suffix.
 */
export async function createIncidentChannel(slack: WebClient, options: { prefix: string; openedAt: Date; title: string; isPrivate: boolean }): Promise<{ id: string; name: string }> {
  const suffixes = ['', ...Array.from({ length: NUMBERED_VARIANTS }, (_v, i) => String(i + 2)), randomBytes(3).toString('hex')];
  for (const suffix of suffixes) {
    const name = channelName(options.prefix, options.openedAt, options.title, suffix);
    try {
      const result = await slack.conversations.create({ name, is_private: options.isPrivate });
      const id = result.channel?.id;
      if (!id) throw new Error('conversations.create answered without a channel id');
      return { id, name: result.channel?.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) !== 'name_taken') throw error;
    }
  }
  throw new Error(`no free channel name for "${options.title}"`);
}
