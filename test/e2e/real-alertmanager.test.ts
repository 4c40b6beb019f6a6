import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startAlertmanager, type AlertmanagerProcess, type GettableAlert, type PostableAlert } from '../support/alertmanager-process.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

/**
 * End to end with a real Alertmanager (Debian's prometheus-alertmanager): an alert posted to its
 * API reaches the bot through its webhook receiver and becomes an incident channel; resolving the
 * alert in Alertmanager is announced in that channel.
 */

const TOKEN = `am-${randomBytes(12).toString('hex')}`;
// Alertmanager puts the receiver name through Go's regexp.QuoteMeta: the "." is escaped, the "-" is not.
const RECEIVER = 'incident-bot.e2e';
const ESCAPED_RECEIVER = 'incident-bot\\.e2e';
const SUMMARY = 'Checkout API cannot reach Postgres';
const SLUG = 'checkout-api-cannot-reach-postgres';
const DESCRIPTION = 'More than 50% of checkout requests fail with database connection errors.';
const LABELS = { alertname: 'ApiDatabaseUnavailable', service: 'api', severity: 'critical', instance: 'api-1:8080', job: 'api' };
const GENERATOR_URL = 'http://prometheus.example:9090/graph?g0.expr=api_db_errors_ratio+%3E+0.5&g0.tab=1';
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

const yyyymmdd = (date: Date) => date.toISOString().slice(0, 10).replaceAll('-', '');

describe('a real Alertmanager notifies the bot through its webhook receiver', () => {
  let bot: TestBot;
  let am: AlertmanagerProcess;
  // Alertmanager's view of the firing alert, shared by the resolution test.
  let firing: GettableAlert;

  beforeAll(async () => {
    bot = await startTestBot({ env: { ALERTMANAGER_TOKEN: TOKEN } });
    am = await startAlertmanager({
      config: {
        route: {
          // Alerts that match no child route go nowhere.
          receiver: 'blackhole',
          group_by: ['alertname'],
          group_wait: '1s',
          group_interval: '1s',
          repeat_interval: '1h',
          routes: [{ receiver: RECEIVER, matchers: ['severity=~"critical|warning"'] }],
        },
        receivers: [
          { name: 'blackhole' },
          {
            name: RECEIVER,
            webhook_configs: [
              {
                url: `${bot.url}/webhooks/alertmanager`,
                send_resolved: true,
                http_config: { authorization: { type: 'Bearer', credentials: TOKEN } },
              },
            ],
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await am?.stop();
    await bot?.stop();
  });

  const dumpOnFailure = () =>
    onTestFailed(() => {
      console.error(`--- Alertmanager ${am?.version} output ---\n${am?.output() ?? '(not started)'}`);
      console.error(`--- bot log (last 40 lines) ---\n${bot?.logs.slice(-40).join('') ?? '(not started)'}`);
    });

  it('turns an alert posted to Alertmanager into an incident channel with its message', async () => {
    dumpOnFailure();
    // No startsAt: Alertmanager sets it itself (with nanoseconds), as it does for clients that omit it.
    const alert: PostableAlert = { labels: LABELS, annotations: { summary: SUMMARY, description: DESCRIPTION }, generatorURL: GENERATOR_URL };
    await am.postAlerts([alert]);

    const listed = await waitFor(async () => (await am.getAlerts()).find((a) => a.labels.alertname === LABELS.alertname), { ...WAIT, what: 'the alert in GET /api/v2/alerts' });
    firing = listed;
    expect(firing.receivers.map((r) => r.name)).toEqual([RECEIVER]);
    expect(firing.status.state).toBe('active');

    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { ...WAIT, what: 'incident with its Slack message' });
    expect(incident).toMatchObject({ status: 'open', severity: 'critical', title: SUMMARY, source: 'alertmanager' });
    expect(incident.runbookId).toBe('db-connection-failures');

    // The channel: inc-<yyyymmdd>-<slug of the summary>.
    const channel = bot.slack.channels.get(incident.channelId ?? '');
    expect(channel?.name).toBe(`inc-${yyyymmdd(incident.openedAt)}-${SLUG}`);
    expect(channel?.name).toMatch(/^inc-\d{8}-/);
    expect(bot.slack.channelByName(channel?.name ?? '')?.id).toBe(incident.channelId);
    expect(channel?.topic).toContain('CRITICAL');

    // The incident message: the summary, and links back to the source and to Alertmanager.
    const [message] = bot.slack.messagesIn(incident.channelId ?? '');
    expect(message?.ts).toBe(incident.messageTs);
    const blocksText = JSON.stringify(message?.blocks);
    expect(message?.text).toContain(SUMMARY);
    expect(blocksText).toContain(SUMMARY);
    expect(blocksText).toContain(DESCRIPTION);
    expect(blocksText).toContain('service=api');
    expect(blocksText).toContain(`<${am.url}|Alertmanager>`);
    expect(blocksText).toContain(GENERATOR_URL);
    expect(blocksText).toContain('Runbook');

    const events = await waitFor(
      async () => {
        const rows = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id }, orderBy: { id: 'asc' } });
        return rows.some((event) => event.type === 'runbook.posted') && rows.map((event) => event.type);
      },
      { ...WAIT, what: 'runbook.posted event' },
    );
    expect(events).toEqual(['incident.opened', 'alert.received', 'slack.channel_created', 'slack.message_posted', 'runbook.posted']);

    // What Alertmanager actually sent, stored as received.
    const deliveries = await bot.db.webhookDelivery.findMany({ orderBy: { receivedAt: 'asc' } });
    expect(deliveries).toHaveLength(1);
    const payload = deliveries[0]?.payload as Record<string, unknown>;
    expect(payload).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: ESCAPED_RECEIVER,
      externalURL: am.url,
      groupKey: `{}/{severity=~"critical|warning"}:{alertname="${LABELS.alertname}"}`,
      truncatedAlerts: 0,
      groupLabels: { alertname: LABELS.alertname },
      commonLabels: LABELS,
      commonAnnotations: { summary: SUMMARY, description: DESCRIPTION },
      alerts: [{ status: 'firing', labels: LABELS, fingerprint: firing.fingerprint, generatorURL: GENERATOR_URL, endsAt: '0001-01-01T00:00:00Z' }],
    });
    expect(Object.keys(payload)).toEqual(
      expect.arrayContaining(['receiver', 'status', 'alerts', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'version', 'groupKey', 'truncatedAlerts']),
    );

    // The alert row carries Alertmanager's own fingerprint and start time.
    const alerts = await bot.db.alert.findMany();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'firing', fingerprint: firing.fingerprint, labels: LABELS, incidentId: incident.id, endsAt: null });
    expect(alerts[0]?.startsAt.toISOString()).toBe(new Date(firing.startsAt).toISOString());

    // Alertmanager sent it with the bearer token: the same request without it is refused.
    expect((await bot.post('/webhooks/alertmanager', payload)).status).toBe(401);
  });

  it('marks the alert resolved when Alertmanager resolves it, and says so in the channel', async () => {
    dumpOnFailure();
    expect(firing, 'the firing test must have passed').toBeDefined();
    const incident = await bot.db.incident.findFirstOrThrow();
    const channelId = incident.channelId ?? '';

    // As Prometheus does: the same alert again, with the same startsAt and an endsAt in the past.
    const endsAt = new Date(Date.now() - 500).toISOString();
    expect(Date.parse(endsAt)).toBeGreaterThan(Date.parse(firing.startsAt));
    await am.postAlerts([{ labels: LABELS, annotations: { summary: SUMMARY, description: DESCRIPTION }, generatorURL: GENERATOR_URL, startsAt: firing.startsAt, endsAt }]);

    const note = await waitFor(() => bot.slack.messagesIn(channelId).find((message) => message.text.includes('resolved')), { ...WAIT, what: 'resolved message in the channel' });
    expect(note.text).toContain('1 alert resolved');
    expect(JSON.stringify(note.blocks)).toContain('api-1:8080');

    const alert = await bot.db.alert.findFirstOrThrow();
    expect(alert).toMatchObject({ status: 'resolved', fingerprint: firing.fingerprint });
    expect(alert.endsAt?.toISOString()).toBe(endsAt);
    const resolvedEvents = await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'alert.resolved' } });
    expect(resolvedEvents).toBe(1);
    // Still one channel: the resolution went to the incident's channel.
    expect(bot.slack.callsTo('conversations.create').filter((call) => call.ok)).toHaveLength(1);
    // The incident message is kept current.
    await waitFor(() => bot.slack.callsTo('chat.update').some((call) => JSON.stringify(call.args).includes('0 firing · 1 resolved')), { ...WAIT, what: 'incident message update' });

    const deliveries = await bot.db.webhookDelivery.findMany({ orderBy: { receivedAt: 'asc' } });
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]?.payload).toMatchObject({
      version: '4',
      status: 'resolved',
      receiver: ESCAPED_RECEIVER,
      groupKey: (deliveries[0]?.payload as { groupKey: string }).groupKey,
      alerts: [{ status: 'resolved', fingerprint: firing.fingerprint }],
    });
    // Go drops trailing zeros of the fraction (".120Z" → ".12Z"): compare instants, not strings.
    const sentEndsAt = (deliveries[1]?.payload as { alerts: { endsAt: string }[] }).alerts[0]?.endsAt ?? '';
    expect(new Date(sentEndsAt).toISOString()).toBe(endsAt);

    // Alertmanager's side: the alert is gone from its active list, and both webhooks succeeded.
    await waitFor(async () => (await am.getAlerts()).length === 0, { ...WAIT, what: 'Alertmanager to drop the resolved alert' });
    const sent = await waitFor(async () => {
      const total = await am.metric('alertmanager_notifications_total', { integration: 'webhook' });
      return total !== undefined && total >= 2 && total;
    }, { ...WAIT, what: 'alertmanager_notifications_total{integration="webhook"} >= 2' });
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(await am.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })).toBe(0);
  });
});
