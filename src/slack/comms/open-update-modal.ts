import type { View } from '@slack/types';
import type { Deps } from '../../deps.js';
import { updateForm } from '../../comms/update-form.js';
import { incidentReference } from '../../record/incident-reference.js';
import { updateModal } from './update-modal.js';
import { publishForm } from '../../status-page/publish-form.js';
import { statusPageBlocks } from '../status-page/status-page-blocks.js';

/** Opens the update modal for an incident, preset to its latest status; false when there is no such incident. */
export async function openUpdateModal(deps: Pick<Deps, 'db' | 'config'>, incidentId: string, openView: (view: View) => Promise<unknown>): Promise<boolean> {
  const page = deps.config.status_page;
  const [form, publish] = await Promise.all([updateForm(deps, incidentId), page ? publishForm(deps, incidentId) : undefined]);
  if (!form) return false;
  await openView(updateModal(form.id, incidentReference(form), form.title, form.status, page && publish ? statusPageBlocks(page, publish, { withToggle: true }) : []));
  return true;
}
