import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Incident } from '../db/client.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../incidents/timeline.js';

/** The metadata event type the incident message carries, so that a retry can find it in the channel. */
export const INCIDENT_MESSAGE_EVENT = 'incident_message';
/** How far back a retry looks for the incident message: it is among the channel's first messages. */
const HISTORY_PAGES = 5;

const incidentMetadata = z.object({ event_type: z.literal(INCIDENT_MESSAGE_EVENT), event_payload: z.object({ incident_id: z.string() }) });

type PostDeps = Pick<Deps, 'db' | 'slack' | 'clock' | 'log'>;

/**
 * Posts the incident message, or adopts the one an earlier attempt posted. The intent is recorded
 * before chat.postMessage; when an earlier attempt recorded one (its answer lost, or its process
 * killed before the ts was saved), the channel's history is searched for the message carrying this
 * incident's metadata first. An adopted message may show an older state: `current` is false then,
 * and the caller updates it.
 */
export async function postIncidentMessage(deps: PostDeps, incident: Incident, channelId: string, message: { text: string; blocks: KnownBlock[] }, renew: () => Promise<void>): Promise<{ ts: string; current: boolean }> {
  const earlier = incident.messageIntentAt ? await findIncidentMessage(deps.slack, channelId, incident.id) : undefined;
  let ts = earlier;
  if (!ts) {
    await renew();
    await deps.db.incident.update({ where: { id: incident.id }, data: { messageIntentAt: deps.clock.now() } });
    const posted = await deps.slack.chat.postMessage({
      channel: channelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      metadata: { event_type: INCIDENT_MESSAGE_EVENT, event_payload: { incident_id: incident.id } },
    });
    if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
    ts = posted.ts;
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

/** The ts of the top-level message carrying this incident's metadata, if the channel holds one. */
export async function findIncidentMessage(slack: WebClient, channelId: string, incidentId: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const answer = await slack.conversations.history({ channel: channelId, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) });
    const found = answer.messages?.find((m) => incidentMetadata.safeParse(m.metadata).data?.event_payload.incident_id === incidentId);
    if (found?.ts) return found.ts;
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
