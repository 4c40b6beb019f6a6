import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { SlackAnswerLostError } from './no-blind-retry.js';

const LOST_ANSWER_RETRIES = 4;
const HISTORY_PAGES = 5;

/** What the bot's own messages carry, so that a retry can tell whether an earlier attempt posted. */
export interface PostMark {
  eventType: 'incident_message' | 'incident_post';
  /** The ids that name this one message (the incident's, and a channel post's). */
  payload: Record<string, string>;
}

const markSchema = z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) });

function carries(metadata: unknown, mark: PostMark): boolean {
  const parsed = markSchema.safeParse(metadata);
  if (!parsed.success || parsed.data.event_type !== mark.eventType) return false;
  return Object.entries(mark.payload).every(([key, value]) => parsed.data.event_payload[key] === value);
}

/**
 * The ts of the message carrying this mark in the channel (top level), or in the thread of
 * `threadTs`, if an earlier attempt posted it; the mark is read back with include_all_metadata.
 */
export async function findMarked(slack: WebClient, channel: string, mark: PostMark, threadTs?: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const paging = { include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const answer = threadTs ? await slack.conversations.replies({ channel, ts: threadTs, ...paging }) : await slack.conversations.history({ channel, ...paging });
    const found = answer.messages?.find((message) => carries(message.metadata, mark));
    if (found?.ts) return found.ts;
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/**
 * Posts a message carrying its mark. When the answer is lost (Slack may have posted it), it looks
 * for the mark before posting again, a few times with a short backoff, so a lost answer never
 * makes a second copy. `beforeRetry` renews whatever lease the caller holds.
 */
export async function postOnce(deps: { slack: WebClient; log: Logger }, message: ChatPostMessageArguments & { channel: string }, mark: PostMark, beforeRetry: () => Promise<void>): Promise<string> {
  const metadata = { event_type: mark.eventType, event_payload: mark.payload };
  for (let attempt = 0; ; attempt++) {
    try {
      const posted = await deps.slack.chat.postMessage({ ...message, metadata });
      if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
      return posted.ts;
    } catch (error) {
      if (!(error instanceof SlackAnswerLostError) || attempt >= LOST_ANSWER_RETRIES) throw error;
      deps.log.warn({ channel: message.channel, mark: mark.eventType, attempt, err: error }, 'a post lost its answer; looking for it before posting again');
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      await beforeRetry();
      const found = await findMarked(deps.slack, message.channel, mark, typeof message.thread_ts === 'string' ? message.thread_ts : undefined);
      if (found) return found;
    }
  }
}
