import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction, viewSubmissionPayload } from '../support/slack-interactions.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const L1 = 'UL1ONCALL';
const escalation = {
  default: {
    levels: [
      { level: 'L1', notify: [L1], ack_timeout: '1h' },
      { level: 'L2', notify: ['UL2LEAD'], ack_timeout: '1h' },
      { level: 'L3', notify: ['UPMONE'] },
    ],
  },
};

function viewSubmission(incidentId: string, userId: string, values: { reason?: string; level?: string }) {
  return viewSubmissionPayload({
    userId,
    callbackId: 'escalate-modal',
    privateMetadata: incidentId,
    title: 'Escalate incident',
    submit: 'Escalate',
    values: {
      reason: { reason: { type: 'plain_text_input', value: values.reason ?? null } },
      level: { level: { type: 'static_select', selected_option: values.level ? { text: { type: 'plain_text', text: `L${values.level}` }, value: values.level } : null } },
    },
  });
}

describe('Acknowledge, Escalate and Resolve buttons', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    sink = await startResponseSink();
    bot = await startTestBot({ config: { escalation } });
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  async function incidentWithControls(summary: string) {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [{ labels: { alertname: summary.replaceAll(' ', ''), severity: 'warning' }, annotations: { summary } }] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { title: summary, messageTs: { not: null } } }), { what: 'incident posted' });
    const message = bot.slack.messagesIn(incident.channelId as string).find((candidate) => candidate.ts === incident.messageTs);
    const controls = buttonsOf(message?.blocks).filter((button) => button.block_id === 'incident-controls');
    const press = (actionId: string, userId = L1) => {
      const button = controls.find((candidate) => candidate.action_id === actionId);
      if (!button) throw new Error(`no ${actionId} button`);
      return postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId, channelId: incident.channelId as string, messageTs: incident.messageTs as string, button, responseUrl: `${sink.url}/${actionId}/${userId}`, triggerId: bot.slack.issueTriggerId() }));
    };
    return { incident, controls, press };
  }

  it('shows the controls, and Acknowledge stops the clock and updates the message', async () => {
    const { incident, controls, press } = await incidentWithControls('Controls acknowledge');
    expect(controls.map((button) => button.action_id)).toEqual(['incident-acknowledge', 'incident-escalate', 'incident-resolve']);
    expect(controls.find((button) => button.action_id === 'incident-resolve')?.confirm).toBeDefined();
    expect((await press('incident-acknowledge')).status).toBe(200);
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'acknowledged', { what: 'acknowledged' });
    await waitFor(() => bot.slack.callsTo('chat.update').some((call) => call.args.ts === incident.messageTs && JSON.stringify(call.args.blocks).includes('Acknowledged by') && JSON.stringify(call.args.blocks).includes(`<@${L1}>`)), { what: 'message shows who acknowledged' });
  });

  it('Escalate opens a modal; submitting it escalates with the reason and the level chosen', async () => {
    const { incident, press } = await incidentWithControls('Controls escalate');
    expect((await press('incident-escalate')).status).toBe(200);
    const opened = await waitFor(() => bot.slack.callsTo('views.open').find((call) => call.ok && JSON.stringify(call.args.view).includes(incident.id)), { what: 'modal opened' });
    expect(JSON.stringify(opened.args.view)).toContain('escalate-modal');

    const empty = await postInteraction(bot.url, SIGNING_SECRET, viewSubmission(incident.id, L1, { reason: '  ' }));
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Say why') } });
    expect(await bot.db.escalation.count({ where: { incidentId: incident.id } })).toBe(1);

    const submitted = await postInteraction(bot.url, SIGNING_SECRET, viewSubmission(incident.id, L1, { reason: 'payments failing for everyone', level: '3' }));
    expect(submitted.status).toBe(200);
    await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id } })) === 2, { what: 'escalated' });
    expect(await bot.db.escalation.findFirst({ where: { incidentId: incident.id, step: 2 } })).toMatchObject({ level: 3, reason: 'manual', note: 'payments failing for everyone', actor: L1 });
  });

  it('Resolve resolves the incident for someone the policy names, and says so in the channel', async () => {
    const { incident, press } = await incidentWithControls('Controls resolve');
    expect((await press('incident-resolve', 'UANYONE')).status).toBe(200);
    const refusal = await waitFor(() => sink.received.find((entry) => entry.path === '/incident-resolve/UANYONE'), { what: 'refusal' });
    expect(refusal.body.text).toContain('may resolve it');
    expect((await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('open');
    expect((await press('incident-resolve', L1)).status).toBe(200);
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'resolved' });
    await waitFor(() => bot.slack.messagesIn(incident.channelId as string).some((message) => (message.text ?? '').startsWith(`🟢 Resolved by <@${L1}>`)), { what: 'resolution message' });
    expect(await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'incident.resolved', actor: L1 } })).toBe(1);
  });
});
