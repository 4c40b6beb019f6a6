import type { View } from '@slack/types';
import type { Deps } from '../../deps.js';
import { updateForm } from '../../comms/update-form.js';
import { incidentReference } from '../../record/incident-reference.js';
import { updateModal } from './update-modal.js';

/** Opens the update modal for an incident, preset to its latest status; false when there is no such incident. */
export async function openUpdateModal(deps: Pick<Deps, 'db'>, incidentId: string, openView: (view: View) => Promise<unknown>): Promise<boolean> {
  const form = await updateForm(deps, incidentId);
  if (!form) return false;
  await openView(updateModal(form.id, incidentReference(form), form.title, form.status));
  return true;
}
