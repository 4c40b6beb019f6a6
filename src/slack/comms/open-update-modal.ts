import type { View } from '@slack/types';
import type { Incident } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { parseUpdateStatus } from '../../comms/update-status.js';
import { incidentReference } from '../render/incident-message.js';
import { updateModal } from './update-modal.js';

/** Opens the update modal for an incident, preset to its latest status. */
export async function openUpdateModal(deps: Pick<Deps, 'db'>, incident: Pick<Incident, 'id' | 'number' | 'title'>, openView: (view: View) => Promise<unknown>): Promise<undefined> {
  const last = await deps.db.statusUpdate.findFirst({ where: { incidentId: incident.id }, orderBy: { postedAt: 'desc' }, select: { status: true } });
  await openView(updateModal(incident.id, incidentReference(incident), incident.title, parseUpdateStatus(last?.status)));
  return undefined;
}
