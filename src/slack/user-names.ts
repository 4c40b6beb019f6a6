import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { NameLookup } from '../review/current-draft.js';
import { slackErrorCode } from './web-client.js';


/** Lookups per draft at most: a storm's review must not spend Slack's users.info budget on names. */
const MAX_LOOKUPS = 50;
/** Names are kept this long per process: a review is drafted again after every change. */
const KEEP_MS = 60 * 60_000;
const cache = new WeakMap<WebClient, Map<string, { name: string; until: number }>>();

/**
 * Names for a file read outside Slack (a review pasted into a wiki), where `<@U…>` means nothing:
 * the real name, else the display name, from users.info (users:read). A failure leaves the ID.
 */
export function slackUserNames(slack: WebClient, log: Logger): NameLookup {
  const known = cache.get(slack) ?? new Map<string, { name: string; until: number }>();
  cache.set(slack, known);
  return async (ids) => {
    const names = new Map<string, string>();
    // A cache's age, on the monotonic timer: not business time.
    const now = performance.now();
    const wanted = [...new Set(ids)].filter((id) => {
      const kept = known.get(id);
      if (kept && kept.until > now) names.set(id, kept.name);
      return !names.has(id);
    });
    for (const id of wanted.slice(0, MAX_LOOKUPS)) {
      try {
        const { user } = await slack.users.info({ user: id });
        const name = user?.real_name || user?.profile?.real_name || user?.profile?.display_name || user?.name;
        if (name) {
          names.set(id, name);
          known.set(id, { name, until: now + KEEP_MS });
        }
      } catch (error) {
        const code = slackErrorCode(error);
        if (code !== 'user_not_found') log.debug({ user: id, error: code ?? String(error) }, 'no name for a user in the review');
        // Without the scope every lookup would fail the same way: stop asking.
        if (code === 'missing_scope') break;
      }
    }
    return names;
  };
}
