import type { ParsedChannelPost } from '../record/channel-post.js';

const MERGE_AT_MOST = 100;

/**
 * Consecutive "alerts changed" posts become one message: in a storm, dozens of alert groups join
 * an incident at once, and chat.postMessage allows about one message a second per channel.
 */
export function mergeAlertChanges(posts: ParsedChannelPost[]): { post: ParsedChannelPost; merged: bigint[] }[] {
  const out: { post: ParsedChannelPost; merged: bigint[] }[] = [];
  for (const post of posts) {
    const last = out.at(-1);
    if (post.kind === 'alerts_changed' && last?.post.kind === 'alerts_changed' && last.merged.length < MERGE_AT_MOST) {
      const into = last.post.data;
      last.post = { ...last.post, data: { firing: [...into.firing, ...post.data.firing], resolved: [...into.resolved, ...post.data.resolved] } };
      last.merged.push(post.id);
    } else {
      out.push({ post, merged: [] });
    }
  }
  return out;
}
