/**
 * A local fake of the Slack Web API for tests: point WebClient's `slackApiUrl` (SLACK_API_URL) at
 * `fake.url` and use `fake.token`.
 *
 * ```ts
 * const fake = await startFakeSlack();
 * const client = new WebClient(fake.token, { slackApiUrl: fake.url });
 * await client.conversations.create({ name: 'inc-42' });
 * expect(fake.channelByName('inc-42')).toBeDefined();
 * await fake.close();
 * ```
 */
export {
  DEFAULT_BOT,
  DEFAULT_KNOWN_USER_PATTERN,
  DEFAULT_TOKEN,
  startFakeSlack,
  type FakeSlack,
  type FakeSlackOptions,
} from './fake-slack.js';
export { UPLOAD_METHOD } from './dispatcher.js';
export { ANY_METHOD, type FaultSpec } from './faults.js';
export {
  BLOCK_KIT_LIMITS,
  KNOWN_BLOCK_TYPES,
  formatViolation,
  type Surface,
  type Violation,
} from '../../../src/sandbox/slack-api/block-kit-limits.js';
export { validateBlocks, validateModalView } from '../../../src/sandbox/slack-api/validate-blocks.js';
export { DEFAULT_RATE_LIMITS, POST_MESSAGE_BURST, TIERS, type RateLimitConfig, type RateLimitRule, type TierName } from './rate-limit.js';
export type { MethodStats } from './stats.js';
export type { CallRecord } from './call-record.js';
export type { SeedChannel, SeedUser, SeedUsergroup } from '../../../src/sandbox/slack-api/state.js';
export type {
  BotIdentity,
  Channel,
  EphemeralMessage,
  Message,
  OpenedView,
  Reaction,
  StoredFile,
  User,
  Usergroup,
} from '../../../src/sandbox/slack-api/types.js';
