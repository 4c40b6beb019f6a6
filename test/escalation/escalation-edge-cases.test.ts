import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, type TestAlert } from '../support/alertmanager.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const L1 = 'UL1ONCALL';
const L2 = 'UL2LEAD';
const GONE = 'UGONEUSER';

describe('escalation edge cases', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  beforeAll(async () => {
    // Only these people exist: a DM to anyone else fails as it does for a deactivated user.
    slack = await startFakeSlack({ knownUserPattern: null, users: [{ id: L1, name: 'oncall' }, { id: L2, name: 'lead' }] });
    bot = await startTestBot({
      slack,
      config: {
        escalation: {
          default: {
            levels: [
              { level: 'L1', notify: [L1], ack_timeout: '1s' },
              { level: 'L2', notify: [L2, GONE], ack_timeout: '1h', direct_message: true },
              { level: 'L3', notify: ['UPMONE'] },
            ],
          },
        },
      },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
  });

  const alert = (overrides: Partial<TestAlert> = {}): TestAlert => ({ labels: { alertname: 'EdgeCase', severity: 'warning', service: 'edge' }, annotations: { summary: 'Edge case' }, ...overrides });

  it('pings a level once even when a direct message to one of its people fails', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert()] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident' });
    await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id } })) === 2, { what: 'L2' });
    await waitFor(() => slack.callsTo('chat.postMessage').some((call) => call.args.channel === L2), { what: 'DM to L2' });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const pings = slack.messagesIn(incident.channelId as string).filter((message) => (message.text ?? '').includes('escalated to *L2*'));
    expect(pings).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.args.channel === L2)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.args.channel === GONE && !call.ok).length).toBeGreaterThanOrEqual(1);
    expect(await bot.db.channelPost.count({ where: { incidentId: incident.id, postedAt: null } })).toBe(0);
  });

  it('after a reopen, escalates from L1 to L2 again, not to L3', async () => {
    const incident = await bot.db.incident.findFirstOrThrow();
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert({ status: 'resolved' })] }));
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'auto-resolved' });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert({ startsAt: '2026-11-24T04:00:00.000Z' })] }));
    await waitFor(async () => (await bot.db.escalation.count({ where: { incidentId: incident.id } })) === 4, { what: 'L1 again, then the next level', timeoutMs: 15_000 });
    const steps = await bot.db.escalation.findMany({ where: { incidentId: incident.id }, orderBy: { step: 'asc' } });
    expect(steps.map((step) => [step.level, step.reason])).toEqual([
      [1, 'opened'],
      [2, 'timeout'],
      [1, 'reopened'],
      [2, 'timeout'],
    ]);
    expect((await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).level).toBe(2);
  });
});
