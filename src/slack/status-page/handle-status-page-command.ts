import type { View } from '@slack/types';
import type { Deps } from '../../deps.js';
import { findIncident } from '../../comms/find-incident.js';
import { incidentReference } from '../../record/incident-reference.js';
import { hideIncident } from '../../status-page/hide-incident.js';
import { publishForm } from '../../status-page/publish-form.js';
import { publishModal } from './publish-modal.js';

export type StatusPageCommand = { name: 'statuspage'; action: 'publish' | 'hide'; number?: number };

/** `/incident statuspage publish|hide [INC-n]`; returns the ephemeral answer, if any. */
export async function handleStatusPageCommand(deps: Deps, command: StatusPageCommand, context: { channelId: string; userId: string; openView?: (view: View) => Promise<unknown> }): Promise<string | undefined> {
  const page = deps.config.status_page;
  if (!page) return 'There is no status page: add a `status_page:` section to the config file.';
  const incident = await findIncident(deps, { channelId: context.channelId, ...(command.number !== undefined ? { number: command.number } : {}) });
  if (!incident) return command.number !== undefined ? `There is no incident INC-${command.number}.` : `Run this in an incident channel, or name the incident: \`/incident statuspage ${command.action} INC-42\`.`;
  const reference = incidentReference(incident);
  if (command.action === 'hide') {
    const outcome = await hideIncident(deps, incident.id, { by: context.userId, source: 'slack' });
    if (outcome.kind === 'not_published') return `*${reference}* is not on the status page.`;
    return outcome.kind === 'hidden' ? `*${reference}* is off the status page.` : 'This incident no longer exists.';
  }
  if (!context.openView) return 'Open the form with `/incident statuspage publish` in Slack.';
  const form = await publishForm(deps, incident.id);
  if (!form) return 'This incident no longer exists.';
  await context.openView(publishModal(page, form, reference));
  return undefined;
}
