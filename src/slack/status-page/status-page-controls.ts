import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { updateStatusSchema } from '../../comms/update-status.js';
import { publishIncident } from '../../status-page/publish-incident.js';
import { PUBLISH_MODAL } from './publish-modal.js';
import { publishValues } from './publish-values.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';

const submissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    private_metadata: z.uuid(),
    state: z.object({ values: z.record(z.string(), z.unknown()) }),
  }),
});
const statusSchema = z.object({ status: z.object({ selected_option: z.object({ value: updateStatusSchema }).nullish() }) });

/** The submission of `/incident statuspage publish`'s form. */
export function registerStatusPageControls(app: App, deps: Deps): void {
  app.view(PUBLISH_MODAL, async ({ ack, body, client }) => {
    const page = deps.config.status_page;
    const submission = submissionSchema.safeParse(body);
    if (!page || !submission.success) {
      deps.log.warn({ issues: submission.error?.issues.slice(0, 3) }, 'malformed status page form submission');
      await ack({ response_action: 'errors', errors: { status: 'This form could not be read; close it and run `/incident statuspage publish` again.' } });
      return;
    }
    const values = submission.data.view.state.values;
    const parsed = publishValues(page, values, { withToggle: false });
    if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    await ack();
    const status = statusSchema.safeParse(values.status).data?.status.selected_option?.value ?? 'investigating';
    const outcome = await publishIncident(deps, submission.data.view.private_metadata, { by: submission.data.user.id, source: 'slack', title: parsed.values.title, body: parsed.values.message, status, components: parsed.values.components });
    if (outcome.kind !== 'published') await client.chat.postMessage({ channel: submission.data.user.id, text: outcome.kind === 'not_found' ? 'That incident no longer exists: nothing was published.' : `Nothing was published: ${outcome.kind === 'invalid' ? escapeMrkdwn(outcome.reason) : 'the status page is not configured'}.` });
  });
}
