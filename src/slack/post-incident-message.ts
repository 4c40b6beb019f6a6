import type { KnownBlock } from '@slack/types';
import type { Incident } from '../db/client.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { findMarked, postOnce, type PostMark } from './post-once.js';

/** The metadata the incident message carries, so that a retry can find it in the channel. */
const markOf = (incidentId: string): PostMark => ({ eventType: 'incident_message', payload: { incident_id: incidentId } });

type PostDeps = Pick<Deps, 'db' | 'slack' | 'clock' | 'log'>;

/**
 * Posts the incident message, or adopts the one an earlier attempt posted. The intent is recorded
 * before chat.postMessage; when an earlier attempt recorded one (its answer lost, or its process
 * killed before the ts was saved), the channel's history is searched for the message carrying this
 * incident's metadata first. An adopted message may show an older state: `current` is false then,
 * and the caller updates it.
 */
export async function postIncidentMessage(deps: PostDeps, incident: Incident, channelId: string, message: { text: string; blocks: KnownBlock[] }, renew: () => Promise<void>): Promise<{ ts: string; current: boolean }> {
  const earlier = incident.messageIntentAt ? await findMarked(deps.slack, channelId, markOf(incident.id)) : undefined;
  let ts = earlier;
  if (!ts) {
    await renew();
    await deps.db.incident.update({ where: { id: incident.id }, data: { messageIntentAt: deps.clock.now() } });
    ts = await postOnce(deps, { channel: channelId, text: message.text, blocks: message.blocks, unfurl_links: false }, markOf(incident.id), renew);
  }
  const saved = ts;
  // Saved before anything else can fail: a retry must never post a second incident message.
  await deps.db.$transaction(async (tx) => {
    await tx.incident.update({ where: { id: incident.id }, data: { messageTs: saved, ...(earlier ? {} : { messageSynced: incident.messageVersion }) } });
    await recordEvents(tx, [
      { incidentId: incident.id, type: 'slack.message_posted', actor: 'bot', source: 'worker', data: { channelId, ts: saved } },
      ...(incident.runbookId ? [{ incidentId: incident.id, type: 'runbook.posted' as const, actor: 'bot', source: 'worker' as const, data: { runbookId: incident.runbookId, channelId, ts: saved } }] : []),
    ]);
  });
  deps.log.info({ incidentId: incident.id, channelId, ts: saved, adopted: earlier !== undefined }, earlier ? 'incident message adopted from an earlier attempt' : 'incident message posted');
  return { ts: saved, current: earlier === undefined };
}

