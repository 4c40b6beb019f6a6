import type { View } from '@slack/types';
import type { Deps } from '../../deps.js';
import { assignRole } from '../../comms/assign-role.js';
import { findIncident } from '../../comms/find-incident.js';
import { listRoles } from '../../comms/list-roles.js';
import { postUpdate } from '../../comms/post-update.js';
import { subscribe, unsubscribe } from '../../comms/subscriptions.js';
import { parseOwner } from '../commands/parse-incident-command.js';
import { incidentReference } from '../../record/incident-reference.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import type { CommsCommand } from './parse-comms-command.js';
import { openUpdateModal } from './open-update-modal.js';

export interface CommsContext {
  channelId: string;
  userId: string;
  /** Opens a modal for this command (its trigger_id lives 3 seconds). */
  openView?: (view: View) => Promise<unknown>;
}

const WHICH = (usage: string) => `Run this in an incident channel, or name the incident: \`${escapeMrkdwn(usage)}\`.`;

/** Runs an update, subscription or role subcommand and returns the ephemeral answer, if any. */
export async function handleCommsCommand(deps: Deps, command: CommsCommand, context: CommsContext): Promise<string | undefined> {
  const incident = await findIncident(deps, { channelId: context.channelId, ...(command.name !== 'role' && command.number !== undefined ? { number: command.number } : {}) });
  const named = command.name !== 'role' && command.number !== undefined;
  if (!incident) {
    if (named) return `There is no incident INC-${command.number}.`;
    if (command.name === 'update') return WHICH('/incident update INC-42 <what is happening>');
    if (command.name === 'role') return escapeMrkdwn('Run this in the incident channel: `/incident role <role> <@someone|me>`.');
    return WHICH(`/incident ${command.name} INC-42`);
  }
  const reference = incidentReference(incident);
  switch (command.name) {
    case 'update': {
      if (!command.text) {
        if (!context.openView) return escapeMrkdwn('Give the update as text: `/incident update <what is happening>`.');
        await openUpdateModal(deps, incident.id, context.openView);
        return undefined;
      }
      const outcome = await postUpdate(deps, incident.id, { by: context.userId, source: 'slack', summary: command.text });
      if (outcome.kind === 'empty') return escapeMrkdwn('Say what is happening: `/incident update <text>`.');
      return outcome.kind === 'posted' && named && incident.channelId !== context.channelId ? `Update posted to *${reference}*.` : undefined;
    }
    case 'subscribe': {
      const outcome = await subscribe(deps, incident.id, context.userId);
      return outcome.kind === 'already' ? `You already follow *${reference}*.` : `You now get the updates and the resolution of *${reference}* by direct message. \`/incident unsubscribe ${reference}\` stops them.`;
    }
    case 'unsubscribe': {
      const outcome = await unsubscribe(deps, incident.id, context.userId);
      return outcome.kind === 'not_subscribed' ? `You were not following *${reference}*.` : `You no longer get the updates of *${reference}*.`;
    }
    case 'role': {
      const who = parseOwner(command.who, context.userId);
      if (!who) return escapeMrkdwn('Name the person with a mention or `me`: `/incident role <role> <@someone|me>`.');
      if (who.startsWith('S')) return 'A role goes to one person, not a user group: name someone (`@alice`) or `me`.';
      const outcome = await assignRole(deps, incident.id, { role: command.role, userId: who, by: context.userId, source: 'slack' });
      if (outcome.kind === 'unknown_role') return `There is no role \`${escapeMrkdwn(command.role.slice(0, 30))}\`. Roles: ${outcome.roles.map((role) => `\`${role}\``).join(', ') || 'none (the config file defines none)'}.`;
      if (outcome.kind === 'unchanged') return `<@${who}> already is ${escapeMrkdwn(command.role)}.`;
      return outcome.kind === 'not_found' ? 'This incident no longer exists.' : undefined;
    }
    case 'roles': {
      const lines = (await listRoles(deps, incident.id)).map(({ role, duty, userId }) => `• *${escapeMrkdwn(role)}*: ${userId ? `<@${userId}>` : '_open_'} — ${escapeMrkdwn(duty)}`);
      return [`*Roles of ${reference}*`, ...lines, escapeMrkdwn('`/incident role <role> <@someone|me>` assigns one.')].join('\n');
    }
  }
}
