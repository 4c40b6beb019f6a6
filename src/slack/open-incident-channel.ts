import type { Incident } from '../db/client.js';
import type { Deps } from '../deps.js';
import { recordEvents } from '../record/timeline.js';
import { createIncidentChannel } from './create-incident-channel.js';
import { findBotChannel } from './find-bot-channel.js';
import { renderTopic } from './render/topic.js';
import { slackErrorCode } from './web-client.js';

type OpenDeps = Pick<Deps, 'db' | 'slack' | 'config' | 'log'>;

/**
 * Creates the incident's channel (or adopts the one a lost answer or a crash left behind), saves it
 * with its timeline event, sets the topic and invites the configured people. `renew` keeps the
 * sync's lease and throws once it is lost, so that a sync overtaken never creates a channel.
 */
export async function openIncidentChannel(deps: OpenDeps, incident: Incident, renew: () => Promise<void>): Promise<string> {
  const channel = await createIncidentChannel(
    deps.slack,
    { prefix: deps.config.incidents.channel_prefix, openedAt: incident.openedAt, title: incident.title, isPrivate: deps.config.incidents.private_channels },
    {
      recorded: incident.channelIntent,
      record: async (name) => {
        await renew();
        await deps.db.incident.update({ where: { id: incident.id }, data: { channelIntent: name } });
      },
      findOrphan: async (name) => {
        const found = await findBotChannel(deps.slack, name, deps.config.incidents.private_channels);
        if (!found) return undefined;
        // Another incident's channel, or another incident's orphan (same title, same day): not ours.
        const owner = await deps.db.incident.findFirst({
          where: { OR: [{ channelId: found.id }, { channelIntent: name, channelId: null, id: { not: incident.id } }] },
          select: { id: true },
        });
        return owner ? undefined : found;
      },
    },
  );
  await deps.db.$transaction(async (tx) => {
    await tx.incident.update({ where: { id: incident.id }, data: { channelId: channel.id, channelName: channel.name } });
    await recordEvents(tx, [{ incidentId: incident.id, type: 'slack.channel_created', actor: 'bot', source: 'worker', data: { channelId: channel.id, name: channel.name } }]);
  });
  deps.log.info({ incidentId: incident.id, channelId: channel.id, channelName: channel.name, adopted: channel.adopted }, channel.adopted ? 'incident channel adopted from an earlier attempt' : 'incident channel created');
  const topic = renderTopic(incident);
  await deps.slack.conversations.setTopic({ channel: channel.id, topic });
  await deps.db.incident.update({ where: { id: incident.id }, data: { topic } });
  const invite = deps.config.incidents.invite.filter((id) => !id.startsWith('S'));
  if (invite.length > 0) {
    await deps.slack.conversations.invite({ channel: channel.id, users: invite.join(',') }).catch((error: unknown) => {
      deps.log.warn({ incidentId: incident.id, error: slackErrorCode(error) }, 'could not invite everyone to the incident channel');
    });
  }
  return channel.id;
}
