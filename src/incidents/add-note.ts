import type { Deps } from '../deps.js';
import { requestSync } from '../queue/queue-after-commit.js';

/**
 * `/incident note <text>` and pinned messages: a note on the timeline, with its author. A note
 * written after the incident resolved belongs in its review too: the review is drafted again.
 */
export async function addNote(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, note: { author: string; text: string; pinnedBy?: string; permalink?: string; messageTs?: string }): Promise<void> {
  const [, review] = await deps.db.$transaction([
    deps.db.timelineEvent.create({
      data: {
        incidentId,
        type: note.pinnedBy ? 'note.pinned' : 'note.added',
        actor: note.pinnedBy ?? note.author,
        source: 'slack',
        at: deps.clock.now(),
        data: { author: note.author, text: note.text.slice(0, 4_000), permalink: note.permalink ?? null, messageTs: note.messageTs ?? null },
      },
    }),
    deps.db.review.updateMany({ where: { incidentId }, data: { revision: { increment: 1 } } }),
  ]);
  if (review.count > 0) await requestSync(deps, incidentId);
}
