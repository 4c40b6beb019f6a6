import type { Deps } from '../deps.js';
import { Prisma } from '../db/client.js';
import { timelineRow } from '../record/timeline.js';
import { requestSync } from '../queue/queue-after-commit.js';

/**
 * `/incident note <text>` and pinned messages: a note on the timeline, with its author. A note
 * written after the incident resolved belongs in its review too: the review is drafted again.
 */
export async function addNote(deps: Pick<Deps, 'db' | 'clock' | 'queues' | 'log'>, incidentId: string, note: { author: string; text: string; pinnedBy?: string; permalink?: string; messageTs?: string }): Promise<'added' | 'already_pinned'> {
  const written = await deps.db.$transaction([
    deps.db.timelineEvent.create({
      data: {
        ...timelineRow({
          incidentId,
          type: note.pinnedBy ? 'note.pinned' : 'note.added',
          actor: note.pinnedBy ?? note.author,
          source: 'slack',
          at: deps.clock.now(),
          data: { author: note.author, text: note.text.slice(0, 4_000), permalink: note.permalink ?? null, messageTs: note.messageTs ?? null },
        }),
        pinnedMessageTs: note.pinnedBy ? (note.messageTs ?? null) : null,
      },
    }),
    deps.db.review.updateMany({ where: { incidentId }, data: { revision: { increment: 1 } } }),
  ]).catch((error: unknown) => {
    // The same message pinned again (a retried event, a second 📌): the note is already there.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
    throw error;
  });
  if (!written) return 'already_pinned';
  if (written[1].count > 0) await requestSync(deps, incidentId);
  return 'added';
}
