import type { Deps } from '../deps.js';
import { parseChannelPost, type ParsedChannelPost } from '../record/channel-post.js';

/**
 * The incident's posts not yet sent, oldest first, parsed. A row of unknown or malformed shape is
 * logged and set aside as sent without a message (as an unknown kind always was), so that it
 * cannot hold back every later post of the incident.
 */
export async function readOwedPosts(deps: Pick<Deps, 'db' | 'log' | 'clock'>, incidentId: string): Promise<ParsedChannelPost[]> {
  const rows = await deps.db.channelPost.findMany({ where: { incidentId, postedAt: null }, orderBy: { id: 'asc' } });
  const posts: ParsedChannelPost[] = [];
  for (const row of rows) {
    try {
      posts.push(parseChannelPost(row));
    } catch (error) {
      deps.log.error({ incidentId, postId: String(row.id), kind: row.kind, error: error instanceof Error ? error.message : String(error) }, 'skipping a channel post that cannot be read');
      await deps.db.channelPost.update({ where: { id: row.id }, data: { postedAt: deps.clock.now() } });
    }
  }
  return posts;
}
