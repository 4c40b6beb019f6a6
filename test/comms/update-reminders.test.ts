import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction } from '../support/slack-interactions.js';
import { slashCommands } from '../support/slash-commands.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Updates are due every 3 s for critical incidents and every 6 s for major ones (for the tests
 * that must do a few things before the first reminder, on a busy machine too).
 */
const EVERY_MS = 3_000;
const MAJOR_MS = 6_000;
const L1 = 'UL1ONCALL';
const ANA = 'UANACOMMS';
const OTHER = 'UOTHERONE';
const config = { escalation: { default: { levels: [{ level: 'L1', notify: [L1] }] } }, updates: { remind_every: { critical: `${EVERY_MS}ms`, major: `${MAJOR_MS}ms` } } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Opened {
  id: string;
  number: number;
  channelId: string;
}

describe('update reminders', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  const command = slashCommands(
    () => bot,
    () => sink,
  );

  beforeAll(async () => {
    bot = await startTestBot({ config });
    sink = await startResponseSink();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  async function openIncident(instance: string, severity = 'critical'): Promise<Opened> {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', instance }, alerts: [dbAlert({ instance, labels: { service: `api-${instance}`, severity } })] }));
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { labels: { path: ['instance'], equals: instance }, messageTs: { not: null } } }), { what: `incident ${instance}` });
    return { id: incident.id, number: incident.number, channelId: incident.channelId as string };
  }
  const reminded = (incidentId: string) => bot.db.timelineEvent.findMany({ where: { incidentId, type: 'update.reminded' }, orderBy: { id: 'asc' } });
  const reminders = (channelId: string) => bot.slack.messagesIn(channelId).filter((message) => message.text.includes('a stakeholder update is due'));

  async function press(incident: Opened, label: string, userId: string) {
    const [message] = reminders(incident.channelId);
    const button = buttonsOf(message?.blocks).find((candidate) => candidate.text.text === label);
    if (!message || !button) throw new Error(`no ${label} button`);
    const response = await postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId, channelId: incident.channelId, messageTs: message.ts, button, responseUrl: `${sink.url}/press`, triggerId: bot.slack.issueTriggerId() }));
    expect(response.status).toBe(200);
  }

  it('reminds L1 once when the first update is due, offers Post update and Snooze 30m, and records a snooze by someone else', async () => {
    const incident = await openIncident('remind-1');
    const row = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const cadence = await waitFor(() => bot.db.updateCadence.findUnique({ where: { incidentId: incident.id } }), { what: 'cadence planned' });
    expect(cadence.nextDueAt.getTime() - row.openedAt.getTime()).toBe(EVERY_MS);

    const [event] = await waitFor(async () => ((await reminded(incident.id)).length > 0 ? reminded(incident.id) : undefined), { what: 'reminder', timeoutMs: 15_000 });
    expect(event?.data).toMatchObject({ to: L1, dueAt: cadence.nextDueAt.toISOString() });
    expect((event?.at.getTime() ?? 0) - cadence.nextDueAt.getTime()).toBeGreaterThanOrEqual(-1_000);
    const message = await waitFor(() => reminders(incident.channelId)[0], { what: 'reminder in the channel' });
    expect(message.text).toContain(`<@${L1}>`);
    expect(buttonsOf(message.blocks).map((button) => button.text.text)).toEqual(['Post update', 'Snooze 30m']);

    // Once: no second reminder for the same due time, however long nobody posts.
    await sleep(EVERY_MS + 1_500);
    expect(await reminded(incident.id)).toHaveLength(1);
    expect(reminders(incident.channelId)).toHaveLength(1);
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/^incident_bot_status_updates_overdue 1$/m);

    // Snoozed by someone who was not reminded: allowed, and recorded as such.
    const before = Date.now();
    await press(incident, 'Snooze 30m', OTHER);
    const snoozed = await waitFor(() => bot.db.timelineEvent.findFirst({ where: { incidentId: incident.id, type: 'update.snoozed' } }), { what: 'snooze recorded' });
    expect(snoozed.actor).toBe(OTHER);
    expect(snoozed.data).toMatchObject({ by: OTHER, target: L1, byTarget: false });
    const later = await bot.db.updateCadence.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(later.nextDueAt.getTime() - before).toBeGreaterThanOrEqual(30 * 60_000 - 1_000);
    expect(later.nextDueAt.getTime() - before).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    await waitFor(() => bot.slack.messagesIn(incident.channelId).find((candidate) => candidate.text.includes(`<@${OTHER}> snoozed the update reminder`) && candidate.text.includes(`(it was for <@${L1}>)`)), { what: 'snooze in the channel' });
    expect(await (await fetch(`${bot.url}/metrics`)).text()).toMatch(/^incident_bot_status_updates_overdue 0$/m);

    // Post update opens the modal.
    await press(incident, 'Post update', L1);
    await waitFor(() => bot.slack.views.find((view) => view.view.callback_id === 'status-update-modal' && view.view.private_metadata === incident.id), { what: 'modal from the button' });
  });

  it('reminds the commander after a restart with Redis emptied in between, once', async () => {
    const incident = await openIncident('remind-2', 'major');
    await command(incident.channelId, `role commander <@${ANA}>`, L1);
    await waitFor(() => bot.db.incidentRole.findFirst({ where: { incidentId: incident.id, role: 'commander' } }), { what: 'commander' });
    const cadence = await waitFor(() => bot.db.updateCadence.findFirst({ where: { incidentId: incident.id, reminderToken: { not: null } } }), { what: 'cadence planned' });
    await bot.bot.deps.queues.updates.obliterate({ force: true });
    await bot.restart();
    expect(await reminded(incident.id)).toHaveLength(0);
    const events = await waitFor(async () => ((await reminded(incident.id)).length > 0 ? reminded(incident.id) : undefined), { what: 'reminder rebuilt from Postgres', timeoutMs: 15_000 });
    expect(events[0]?.data).toMatchObject({ to: ANA, dueAt: cadence.nextDueAt.toISOString() });
    await sleep(1_500);
    expect(await reminded(incident.id)).toHaveLength(1);
    await waitFor(() => reminders(incident.channelId).find((message) => message.text.includes(`<@${ANA}>`)), { what: 'commander reminded in the channel' });
  });

  it('plans the next update from each update, and stops at resolution', async () => {
    const incident = await openIncident('remind-3', 'major');
    await waitFor(() => bot.db.updateCadence.findUnique({ where: { incidentId: incident.id } }), { what: 'cadence planned' });
    await command(incident.channelId, 'update Looking into it', L1);
    const update = await waitFor(() => bot.db.statusUpdate.findFirst({ where: { incidentId: incident.id } }), { what: 'update' });
    const cadence = await bot.db.updateCadence.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(cadence.nextDueAt.getTime() - update.postedAt.getTime()).toBe(MAJOR_MS);
    await command(incident.channelId, 'resolve fixed', L1);
    await waitFor(() => bot.db.incident.findFirst({ where: { id: incident.id, status: 'resolved' } }), { what: 'resolved' });
    await sleep(Math.max(0, cadence.nextDueAt.getTime() + 2_000 - Date.now()));
    expect(await reminded(incident.id)).toHaveLength(0);
    expect(reminders(incident.channelId)).toHaveLength(0);
    expect(await bot.db.updateCadence.findUnique({ where: { incidentId: incident.id } })).toBeNull();
  });

  it('ends the cadence when the incident resolves and starts it again from a reopen', async () => {
    const instance = 'remind-4';
    const fire = (startsAt: string, status?: 'resolved') =>
      bot.post('/webhooks/alertmanager', alertmanagerPayload({ groupLabels: { alertname: 'ApiDatabaseUnavailable', instance }, alerts: [dbAlert({ instance, startsAt, labels: { service: `api-${instance}`, severity: 'major' }, ...(status ? { status } : {}) })] }));
    await fire('2026-11-28T03:00:00.000Z');
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { labels: { path: ['instance'], equals: instance }, messageTs: { not: null } } }), { what: 'incident' });
    await waitFor(() => bot.db.updateCadence.findUnique({ where: { incidentId: incident.id } }), { what: 'cadence planned' });
    await fire('2026-11-28T03:00:00.000Z', 'resolved');
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'resolved by its alert' });
    await waitFor(async () => (await bot.db.updateCadence.findUnique({ where: { incidentId: incident.id } })) === null, { what: 'cadence ended' });
    await fire('2026-11-28T03:10:00.000Z');
    const reopened = await waitFor(() => bot.db.incident.findFirst({ where: { id: incident.id, status: 'reopened' } }), { what: 'reopened' });
    const cadence = await waitFor(() => bot.db.updateCadence.findUnique({ where: { incidentId: incident.id } }), { what: 'cadence again' });
    expect(cadence.nextDueAt.getTime() - (reopened.reopenedAt as Date).getTime()).toBe(MAJOR_MS);
  });
});
