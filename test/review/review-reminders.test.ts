import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/config-file.js';
import type { Review } from '../../src/db/client.js';
import { QUEUE } from '../../src/queue/jobs.js';
import { nextReminder, reminderAt } from '../../src/review/reminder-schedule.js';
import { alertmanagerPayload, type TestAlert } from '../support/alertmanager.js';
import type { Message } from '../support/fake-slack/index.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { REDIS_URL, SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Review reminders through the whole bot (real Postgres and Redis, fake Slack), with short periods:
 * due 8 s after the resolution; "due soon" 4 s before that; overdue at the due time and 3 s later
 * (long enough that a busy CI machine meets the test's own "before the next reminder" checks).
 */
const DUE_AFTER = 8_000;
const REMIND_BEFORE = 4_000;
const OVERDUE_EVERY = 3_000;
const OVERDUE_REMINDERS = 2;
const reviews = { due_after: `${DUE_AFTER}ms`, remind_before: `${REMIND_BEFORE}ms`, overdue_every: `${OVERDUE_EVERY}ms`, overdue_reminders: OVERDUE_REMINDERS };

/** L1 is the only level: it is paged when an incident opens, so its person owns the review. */
const OWNER = 'UREVIEWOWNER';
const escalation = { default: { levels: [{ level: 'L1', notify: [OWNER] }] } };
const config = { escalation, reviews };

/**
 * A reminder may run up to 1 s early (the handler's own tolerance) and, on a busy CI machine, a
 * few seconds late (they run within about 100 ms here). This checks the scheduling, not its speed;
 * the exact planned times are checked on the review row instead (watchPlans).
 */
const EARLY_MS = 1_000;
const LATE_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));

/** The planned times of the steps of a review due at `dueAt`, computed here, not by the code under test. */
function plannedSchedule(dueAt: Date): { step: number; kind: 'due_soon' | 'overdue'; at: number }[] {
  const due = dueAt.getTime();
  return [
    { step: 0, kind: 'due_soon', at: due - REMIND_BEFORE },
    { step: 1, kind: 'overdue', at: due },
    { step: 2, kind: 'overdue', at: due + OVERDUE_EVERY },
  ];
}
/** When a fourth reminder would come if the bot miscounted `overdue_reminders`; waiting past it (plus margin) shows there is none. */
const quietUntil = (dueAt: Date) => dueAt.getTime() + OVERDUE_REMINDERS * OVERDUE_EVERY + 2_000;

const alert = (name: string, overrides: Partial<TestAlert> = {}): TestAlert => ({
  labels: { alertname: name, severity: 'warning', service: name.toLowerCase() },
  annotations: { summary: `${name} summary` },
  ...overrides,
});

async function openIncident(bot: TestBot, name: string, startsAt?: string) {
  await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert(name, startsAt ? { startsAt } : {})] }));
  return waitFor(() => bot.db.incident.findFirst({ where: { title: `${name} summary`, messageTs: { not: null } } }), { what: `incident ${name} posted` });
}

/** Resolves the incident as Alertmanager does (every alert resolved) and returns its fresh review. */
async function resolveByAlert(bot: TestBot, incidentId: string, name: string, startsAt?: string): Promise<Review> {
  const before = new Date();
  await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert(name, { status: 'resolved', ...(startsAt ? { startsAt } : {}) })] }));
  return waitFor(() => bot.db.review.findFirst({ where: { incidentId, state: 'draft', resolvedAt: { gte: new Date(before.getTime() - 1_000) }, reminderToken: { not: null } } }), { what: `review of ${name} opened` });
}

async function remindedEvents(bot: TestBot, incidentId: string) {
  const events = await bot.db.timelineEvent.findMany({ where: { incidentId, type: 'review.reminded' }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  return events.map((event) => ({ at: event.at, data: event.data as { step: number; kind: string; owner: string | null; dueAt: string } }));
}

async function waitForReminders(bot: TestBot, incidentId: string, count: number, timeoutMs = 15_000) {
  await waitFor(async () => (await remindedEvents(bot, incidentId)).length >= count, { what: `${count} review.reminded events`, timeoutMs });
  return remindedEvents(bot, incidentId);
}

/** The recorded reminders match the planned schedule: steps in order, each once, each on time. */
function expectOnSchedule(events: Awaited<ReturnType<typeof remindedEvents>>, review: Review): void {
  const planned = plannedSchedule(review.dueAt);
  expect(events.map((event) => event.data.step)).toEqual(planned.map((step) => step.step));
  expect(events.map((event) => event.data.kind)).toEqual(planned.map((step) => step.kind));
  for (const [index, event] of events.entries()) {
    const plan = planned[index] as (typeof planned)[number];
    expect(event.data).toMatchObject({ owner: OWNER, dueAt: review.dueAt.toISOString() });
    const offset = event.at.getTime() - plan.at;
    expect(offset, `step ${plan.step} ran ${offset} ms after its planned time`).toBeGreaterThanOrEqual(-EARLY_MS);
    expect(offset, `step ${plan.step} ran ${offset} ms after its planned time`).toBeLessThanOrEqual(LATE_MS);
  }
}

/**
 * Samples the review row until stopped (at the latest when the test ends) and returns each
 * reminder it planned (step and time), in order: the exact schedule, independent of how fast the
 * jobs ran. Every plan is held for at least the 1 s between steps, so sampling every 50 ms sees them all.
 */
function watchPlans(bot: TestBot, reviewId: string, onTestFinished: (stop: () => Promise<void>) => void): { stop(): Promise<{ step: number; at: number }[]> } {
  const seen: { step: number; at: number }[] = [];
  let stopped = false;
  let failure: unknown;
  const sampling = (async () => {
    while (!stopped) {
      try {
        const row = await bot.db.review.findUnique({ where: { id: reviewId }, select: { reminderStep: true, nextReminderAt: true } });
        const last = seen.at(-1);
        if (row?.nextReminderAt && (last?.step !== row.reminderStep || last.at !== row.nextReminderAt.getTime())) seen.push({ step: row.reminderStep, at: row.nextReminderAt.getTime() });
      } catch (error) {
        failure = error;
        return;
      }
      await sleep(50);
    }
  })();
  const stop = async () => {
    stopped = true;
    await sampling;
    if (failure) throw failure;
    return seen;
  };
  onTestFinished(async () => {
    await stop().catch(() => undefined);
  });
  return { stop };
}
const expectedPlans = (dueAt: Date) => plannedSchedule(dueAt).map(({ step, at }) => ({ step, at }));

/** The reminders posted in the incident channel (the fake Slack's record), oldest first. */
function reminderMessages(messages: Message[], number: number): string[] {
  return messages.map((message) => message.text ?? '').filter((text) => text.includes(`post-incident review of *INC-${number}*`));
}
const channelReminders = (bot: TestBot, channelId: string, number: number) => reminderMessages(bot.slack.messagesIn(channelId), number);
/** chat.postMessage with a user id as the channel lands in the bot's DM conversation with that user. */
function directReminders(bot: TestBot, user: string, number: number): string[] {
  const dm = [...bot.slack.channels.values()].find((channel) => channel.isIm && channel.members.has(user));
  return dm ? reminderMessages(bot.slack.messagesIn(dm.id), number) : [];
}

/** The channel and the owner each got these reminders, in this order. */
async function expectMessages(bot: TestBot, channelId: string, number: number, kinds: ('due_soon' | 'overdue')[]): Promise<void> {
  await waitFor(() => channelReminders(bot, channelId, number).length >= kinds.length && directReminders(bot, OWNER, number).length >= kinds.length, { what: `${kinds.length} reminders in the channel and the DM` });
  const inChannel = channelReminders(bot, channelId, number);
  const direct = directReminders(bot, OWNER, number);
  expect(inChannel).toHaveLength(kinds.length);
  expect(direct).toHaveLength(kinds.length);
  for (const [index, kind] of kinds.entries()) {
    const opening = kind === 'due_soon' ? `⏰ The post-incident review of *INC-${number}* is due ` : `⚠️ The post-incident review of *INC-${number}* is overdue: it was due `;
    expect(inChannel[index]).toContain(opening);
    expect(inChannel[index]).toContain(`Owner: <@${OWNER}>`);
    expect(direct[index]).toContain(opening);
    expect(direct[index]).toContain(`You own it: `);
    expect(direct[index]).toContain(`<#${channelId}>`);
  }
  expect(bot.slack.callsTo('chat.postMessage').filter((call) => call.ok && call.args.channel === OWNER && String(call.args.text).includes(`*INC-${number}*`))).toHaveLength(kinds.length);
}

/**
 * Waits past the last reminder and checks the whole run: three reminders, each planned exactly
 * and sent on schedule, once each, in the channel and to the owner.
 */
async function expectAllThreeReminders(bot: TestBot, incident: { id: string; number: number; channelId: string | null }, review: Review, plans: { stop(): Promise<{ step: number; at: number }[]> }): Promise<void> {
  await waitForReminders(bot, incident.id, 3);
  await sleepUntil(quietUntil(review.dueAt));
  expect(await plans.stop()).toEqual(expectedPlans(review.dueAt));
  const events = await remindedEvents(bot, incident.id);
  expect(events).toHaveLength(3);
  expectOnSchedule(events, review);
  expect(await bot.db.channelPost.count({ where: { incidentId: incident.id, kind: 'review_reminder' } })).toBe(3);
  await expectMessages(bot, incident.channelId as string, incident.number, ['due_soon', 'overdue', 'overdue']);
}

describe('review reminder schedule (pure)', () => {
  const base: BotConfig['reviews'] = { due_after: 4_000, remind_before: 2_000, overdue_every: 1_000, overdue_reminders: 2 };
  const resolvedAt = new Date('2026-11-24T04:00:00.000Z');
  const dueAt = new Date(resolvedAt.getTime() + base.due_after);
  const offset = (at: Date | null | undefined) => (at ? at.getTime() - dueAt.getTime() : null);

  it('plans due soon, then overdue at the due time and every overdue_every, overdue_reminders times', () => {
    expect([0, 1, 2, 3].map((step) => offset(reminderAt(step, dueAt, base)))).toEqual([-2_000, 0, 1_000, null]);
    expect(nextReminder(0, dueAt, resolvedAt, base)).toEqual({ step: 0, at: new Date(dueAt.getTime() - 2_000) });
    // Planned after a reminder ran a little late, each next step keeps its own time.
    expect(nextReminder(1, dueAt, new Date(dueAt.getTime() - 1_500), base)).toEqual({ step: 1, at: dueAt });
    expect(nextReminder(2, dueAt, new Date(dueAt.getTime() + 300), base)).toEqual({ step: 2, at: new Date(dueAt.getTime() + 1_000) });
    expect(nextReminder(3, dueAt, new Date(dueAt.getTime() + 1_100), base)).toBeNull();
  });

  it('skips the due-soon step when remind_before reaches back to the resolution or before it', () => {
    const longer = { ...base, remind_before: 10_000 };
    expect(nextReminder(0, dueAt, resolvedAt, longer)).toEqual({ step: 1, at: dueAt });
    // Exactly at the resolution is already too late to warn of anything.
    expect(nextReminder(0, dueAt, resolvedAt, { ...base, remind_before: DUE_AFTER })).toEqual({ step: 1, at: dueAt });
    // Planned late (the bot was down): the due-soon time has passed, the overdue one is still ahead.
    expect(nextReminder(0, dueAt, new Date(dueAt.getTime() - 500), base)).toEqual({ step: 1, at: dueAt });
  });

  it('skips steps whose time passed while the bot was down rather than sending them in a burst', () => {
    expect(nextReminder(0, dueAt, new Date(dueAt.getTime() + 500), base)).toEqual({ step: 2, at: new Date(dueAt.getTime() + 1_000) });
    expect(nextReminder(1, dueAt, new Date(dueAt.getTime() + 1_500), base)).toBeNull();
  });

  it('gives no overdue step when overdue_reminders is 0', () => {
    const none = { ...base, overdue_reminders: 0 };
    expect(reminderAt(1, dueAt, none)).toBeNull();
    expect(nextReminder(0, dueAt, resolvedAt, none)).toEqual({ step: 0, at: new Date(dueAt.getTime() - 2_000) });
    expect(nextReminder(1, dueAt, new Date(dueAt.getTime() - 1_000), none)).toBeNull();
    // Nothing at all when the due-soon step is skipped too.
    expect(nextReminder(0, dueAt, resolvedAt, { ...none, remind_before: 10_000 })).toBeNull();
  });
});

/**
 * The scenarios run at the same time (each waits several seconds of schedule): all but one on one
 * bot, the restart on a bot of its own so that stopping it and emptying its queue touch nothing else.
 */
describe.concurrent('review reminders through the bot', { timeout: 90_000 }, () => {
  let bot: TestBot;
  let restartBot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    [bot, restartBot, sink] = await Promise.all([startTestBot({ config }), startTestBot({ config }), startResponseSink()]);
  });
  afterAll(async () => {
    await Promise.all([bot?.stop(), restartBot?.stop(), sink?.close()]);
  });

  async function command(channelId: string, text: string, userId: string): Promise<void> {
    const body = slashCommandBody({ text, channelId, userId, responseUrl: `${sink.url}/${channelId}/${userId}/${encodeURIComponent(text)}` });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
  }

  it('reminds due soon, then overdue twice, on schedule and in order, in the channel and to the owner, then stops', async ({ expect, onTestFinished }) => {
    const incident = await openIncident(bot, 'ReviewSchedule');
    const review = await resolveByAlert(bot, incident.id, 'ReviewSchedule');
    const resolved = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(review.resolvedAt).toEqual(resolved.resolvedAt);
    expect(review.dueAt.getTime() - review.resolvedAt.getTime()).toBe(DUE_AFTER);
    expect(review).toMatchObject({ owner: OWNER, reminderStep: 0, nextReminderAt: new Date(review.dueAt.getTime() - REMIND_BEFORE) });
    const plans = watchPlans(bot, review.id, onTestFinished);

    await expectAllThreeReminders(bot, incident, review, plans);
    // Nothing left to remind of: no time, no token for a stray job to match.
    expect(await bot.db.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ state: 'draft', nextReminderAt: null, reminderToken: null });
  });

  it('stops reminding once the owner marks the review done', async ({ expect }) => {
    const incident = await openIncident(bot, 'ReviewDone');
    const channelId = incident.channelId as string;
    const review = await resolveByAlert(bot, incident.id, 'ReviewDone');
    await waitForReminders(bot, incident.id, 1);

    // Someone the policy does not name may not close it: the reminders go on.
    await command(channelId, 'review done', 'UBYSTANDER');
    const refused = await waitFor(() => sink.received.find((entry) => entry.path === `/${channelId}/UBYSTANDER/${encodeURIComponent('review done')}`), { what: 'refusal' });
    expect(refused.body.text).toContain("Only the review's owner");
    expect(await bot.db.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ state: 'draft', reminderStep: 1, nextReminderAt: review.dueAt, reminderToken: expect.any(String) });

    await command(channelId, 'review done', OWNER);
    const done = await waitFor(() => bot.db.review.findFirst({ where: { id: review.id, state: 'done' } }), { what: 'review done' });
    expect(done).toMatchObject({ completedBy: OWNER, nextReminderAt: null, reminderToken: null });
    // Otherwise the overdue reminder may have come first, and this test would prove nothing.
    expect((done.completedAt as Date).getTime(), 'marked done before the due time').toBeLessThan(review.dueAt.getTime());
    await waitFor(() => bot.slack.messagesIn(channelId).some((message) => (message.text ?? '').includes(`<@${OWNER}> marked the post-incident review done`)), { what: 'done message' });

    await sleepUntil(quietUntil(review.dueAt));
    const events = await remindedEvents(bot, incident.id);
    expect(events.map((event) => event.data.step)).toEqual([0]);
    expect(await bot.db.channelPost.count({ where: { incidentId: incident.id, kind: 'review_reminder' } })).toBe(1);
    // Every post has gone out by now (the done message came after the reminder). The due-soon one
    // may say nothing: Slack's pace (5 posts in 5 s per channel) can hold it until after the review
    // was done, and a reminder of a done review is not sent. Nothing overdue is, in any case.
    await waitFor(async () => (await bot.db.channelPost.count({ where: { incidentId: incident.id, postedAt: null } })) === 0, { what: 'every post sent' });
    for (const texts of [channelReminders(bot, channelId, incident.number), directReminders(bot, OWNER, incident.number)]) {
      expect(texts.length).toBeLessThanOrEqual(1);
      expect(texts.filter((text) => text.includes('overdue'))).toEqual([]);
    }
  });

  it('reminds once per step across restarts whose Redis lost every reminder job', async ({ expect, onTestFinished }) => {
    const target = restartBot;
    const incident = await openIncident(target, 'ReviewRestart');
    const channelId = incident.channelId as string;
    // A restart waits for the Slack sync in progress, and Slack's pace (5 posts in 5 s per channel)
    // would hold the due-soon post while the opening's posts are recent: let them age first, so
    // that the restarts are quick and every reminder's time comes while the bot is up.
    await sleep(5_000);
    const review = await resolveByAlert(target, incident.id, 'ReviewRestart');
    const plans = watchPlans(target, review.id, onTestFinished);

    /** Restarts the bot; while it is down, the reviews queue is emptied in Redis, the job of the current step included. */
    async function restartWithEmptyQueue(): Promise<number> {
      const current = await target.db.review.findUniqueOrThrow({ where: { id: review.id } });
      const jobId = `review-${review.id}-${current.reminderStep}-${current.reminderToken}`;
      await waitFor(async () => (await (await target.bot.deps.queues.reviews.getJob(jobId))?.isDelayed()) === true, { what: `delayed job ${jobId}` });
      const stopProcess = target.bot.stop;
      target.bot = {
        ...target.bot,
        stop: async () => {
          await stopProcess();
          const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
          const queue = new Queue(QUEUE.reviews, { connection, prefix: target.queuePrefix });
          try {
            await queue.obliterate({ force: true });
            expect(await queue.getJob(jobId)).toBeUndefined();
            expect(await queue.getDelayedCount()).toBe(0);
          } finally {
            await queue.close();
            connection.disconnect();
          }
        },
      };
      await target.restart();
      return Date.now();
    }

    const upAgain = await restartWithEmptyQueue();
    expect(upAgain, 'up again before the due-soon time').toBeLessThan(review.dueAt.getTime() - REMIND_BEFORE);
    await waitForReminders(target, incident.id, 1);
    await waitFor(() => channelReminders(target, channelId, incident.number).length === 1 && directReminders(target, OWNER, incident.number).length === 1, { what: 'due-soon reminder in Slack' });
    const upOnceMore = await restartWithEmptyQueue();
    expect(upOnceMore, 'up again before the overdue time').toBeLessThan(review.dueAt.getTime());
    await expectAllThreeReminders(target, incident, review, plans);
  });

  it('waits for its time when a reminder job runs early (clocks disagree), then reminds once', async ({ expect, onTestFinished }) => {
    const incident = await openIncident(bot, 'ReviewEarly');
    const review = await resolveByAlert(bot, incident.id, 'ReviewEarly');
    const plans = watchPlans(bot, review.id, onTestFinished);
    const jobId = `review-${review.id}-0-${review.reminderToken}`;
    const job = await waitFor(() => bot.bot.deps.queues.reviews.getJob(jobId), { what: `job ${jobId}` });
    expect(await job.isDelayed()).toBe(true);
    // Runs now, 2 s before its time: the reminder must not go out yet, nor be lost with the spent job id.
    await job.promote();
    await waitFor(async () => (await bot.bot.deps.queues.reviews.getJob(jobId))?.isCompleted(), { what: 'early job ran' });
    expect(Date.now(), 'the early job ran well before its time').toBeLessThan(review.dueAt.getTime() - REMIND_BEFORE - 1_000);
    expect(await remindedEvents(bot, incident.id)).toEqual([]);
    expect(await bot.db.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ reminderStep: 0, nextReminderAt: new Date(review.dueAt.getTime() - REMIND_BEFORE) });

    await expectAllThreeReminders(bot, incident, review, plans);
  });

  it('pauses reminders while a reopened incident is open, and schedules them from the next resolution', async ({ expect, onTestFinished }) => {
    const incident = await openIncident(bot, 'ReviewReopen');
    const channelId = incident.channelId as string;
    const first = await resolveByAlert(bot, incident.id, 'ReviewReopen');

    // The alert group fires again within reopen_window: the same incident reopens, its review pauses.
    const refiredAt = '2026-11-24T04:00:00.000Z';
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [alert('ReviewReopen', { startsAt: refiredAt })] }));
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'reopened', { what: 'reopened' });
    const paused = await bot.db.review.findUniqueOrThrow({ where: { id: first.id } });
    expect(paused).toMatchObject({ state: 'draft', nextReminderAt: null, reminderToken: null });
    // Otherwise the due-soon reminder may have come before the reopen, and this test would prove nothing.
    expect(Date.now(), 'reopened before the first reminder was due').toBeLessThan(first.dueAt.getTime() - REMIND_BEFORE);

    // Past every time the first resolution planned (its queued job included): nothing.
    await sleepUntil(quietUntil(first.dueAt));
    expect(await remindedEvents(bot, incident.id)).toEqual([]);
    expect(await bot.db.channelPost.count({ where: { incidentId: incident.id, kind: 'review_reminder' } })).toBe(0);
    expect((await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('reopened');

    const plans = watchPlans(bot, first.id, onTestFinished);
    const second = await resolveByAlert(bot, incident.id, 'ReviewReopen', refiredAt);
    expect(second.id).toBe(first.id);
    expect(second.resolvedAt.getTime()).toBeGreaterThan(quietUntil(first.dueAt) - 1_000);
    expect(second.dueAt.getTime() - second.resolvedAt.getTime()).toBe(DUE_AFTER);
    expect(second.owner).toBe(OWNER);
    await waitForReminders(bot, incident.id, 3);
    await sleepUntil(quietUntil(second.dueAt));
    expect(await plans.stop()).toEqual(expectedPlans(second.dueAt));
    const events = await remindedEvents(bot, incident.id);
    expect(events).toHaveLength(3);
    expectOnSchedule(events, second);
    await expectMessages(bot, channelId, incident.number, ['due_soon', 'overdue', 'overdue']);
  });
});
