import type { KnownBlock } from '@slack/types';

/** What a channel post becomes in Slack: a message, where it goes, and what follows it. */
export interface RenderedPost {
  text: string;
  blocks: KnownBlock[];
  /** Post in the incident message's thread rather than the channel. */
  inThread: boolean;
  /** Further messages, posted as replies to this one (Block Kit allows 50 blocks a message). */
  overflow?: KnownBlock[][];
  /** Another channel than the incident's (stakeholder announcements). */
  channel?: string;
  /** A thread to post in (in `channel`): an announcement's, for the incident's updates. */
  threadTs?: string;
  /** Also sent as a direct message to these people (user IDs; user groups are expanded), best effort. */
  direct?: { to: string[]; text: string };
}
