import type { Deps } from '../deps.js';

/** `/incident note <text>` and pinned messages: a note on the timeline, with its author. */
export async function addNote(deps: Pick<Deps, 'db' | 'clock'>, incidentId: string, note: { author: string; text: string; pinnedBy?: string; permalink?: string; messageTs?: string }): Promise<void> {
  await deps.db.timelineEvent.create({
    data: {
      incidentId,
      type: note.pinnedBy ? 'note.pinned' : 'note.added',
      actor: note.pinnedBy ?? note.author,
      source: 'slack',
      at: deps.clock.now(),
      data: { author: note.author, text: note.text.slice(0, 4_000), permalink: note.permalink ?? null, messageTs: note.messageTs ?? null },
    },
  });
}
