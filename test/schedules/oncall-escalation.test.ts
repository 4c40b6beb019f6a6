import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { movableClock } from '../support/clock.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

let counter = 0;
async function openIncident(bot: TestBot) {
  counter++;
  const payload = alertmanagerPayload({ alerts: [{ labels: { alertname: `OnCall${counter}`, severity: 'warning', service: `oncall-${counter}` }, annotations: { summary: `On-call test ${counter}` } }] });
  await bot.post('/webhooks/alertmanager', payload);
  return waitFor(() => bot.db.incident.findFirst({ where: { title: `On-call test ${counter}`, messageTs: { not: null } } }), { what: 'incident posted' });
}
const steps = (bot: TestBot, incidentId: string) => bot.db.escalation.findMany({ where: { incidentId }, orderBy: { step: 'asc' } });

describe('escalation levels that name schedules', () => {
  const clock = movableClock();
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({
      clock,
      env: { API_TOKEN: 'review-token-0123456789' },
      config: {
        schedules: { rota: { time_zone: 'UTC', layers: [{ name: 'daily', users: ['UROTA1', 'UROTA2'], rotation: 'daily', handoff: '10:00', start: '2026-01-01' }] } },
        escalation: { default: { levels: [{ level: 'L1', notify: ['schedule:rota'], ack_timeout: '2s' }, { level: 'L2', notify: ['schedule:rota', 'ULEAD'] }] } },
      },
    });
  });
  afterAll(() => bot.stop());

  it('resolves L1 when the incident opens and L2 a day later when it is paged, each invited, mentioned and on the timeline', async () => {
    const incident = await openIncident(bot);
    const first = await waitFor(async () => (await steps(bot, incident.id))[0], { what: 'L1 paged' });
    clock.advance(86_400_000);
    const both = await waitFor(async () => {
      const all = await steps(bot, incident.id);
      return all.length >= 2 ? all : undefined;
    }, { what: 'L2 paged' });
    const l1 = (first.notify as string[])[0] as string;
    const other = l1 === 'UROTA1' ? 'UROTA2' : 'UROTA1';
    expect(['UROTA1', 'UROTA2']).toContain(l1);
    expect(both[1]?.notify).toEqual([other, 'ULEAD']);
    const channelId = incident.channelId as string;
    await waitFor(() => bot.slack.messagesIn(channelId).some((message) => (message.text ?? '').includes('escalated to *L2*')), { what: 'L2 mentioned' });
    const texts = bot.slack.messagesIn(channelId).map((message) => message.text ?? '');
    expect(texts.some((text) => text.includes(`L1* paged: <@${l1}>`))).toBe(true);
    expect(texts.some((text) => text.includes(`escalated to *L2*: <@${other}> <@ULEAD>`))).toBe(true);
    const invited = bot.slack.callsTo('conversations.invite').filter((call) => call.args.channel === channelId).map((call) => String(call.args.users));
    expect(invited).toEqual(expect.arrayContaining([l1, `${other},ULEAD`]));
    const events = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id, type: 'escalation.notified' }, orderBy: { id: 'asc' } });
    expect(events.map((event) => (event.data as { oncall: unknown }).oncall)).toEqual([
      [{ schedule: 'rota', user: l1, layer: 'daily', override: null }],
      [{ schedule: 'rota', user: other, layer: 'daily', override: null }],
    ]);
    // Whoever the schedule paged may acknowledge.
    const body = slashCommandBody({ text: 'ack', channelId, userId: other, responseUrl: 'http://127.0.0.1:9/ignored' });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).acknowledgedBy === other, { what: 'acknowledged by the person on call' });

    // The review names the schedule and layer that chose each level's person.
    const resolve = slashCommandBody({ text: 'resolve fixed', channelId, userId: other, responseUrl: 'http://127.0.0.1:9/ignored' });
    await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, resolve), body: resolve });
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'resolved' });
    const review = await waitFor(async () => {
      const response = await fetch(`${bot.url}/api/incidents/${incident.id}/review`, { headers: { authorization: 'Bearer review-token-0123456789' } });
      return response.status === 200 ? response.text() : undefined;
    }, { what: 'review drafted' });
    expect(review).toContain('on call in `rota`, layer `daily`');
  });
});

describe('a level whose schedule has nobody on call', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({
      config: {
        schedules: { later: { time_zone: 'Europe/Berlin', layers: [{ name: 'weekly', users: ['ULATER'], rotation: 'weekly', handoff: 'monday 10:00', start: '2099-01-01' }] } },
        escalation: { default: { levels: [{ level: 'L1', notify: ['schedule:later'], ack_timeout: '10m' }, { level: 'L2', notify: ['UBACKUP', 'schedule:later'], ack_timeout: '10m' }, { level: 'L3', notify: ['UBOSS'] }] } },
      },
    });
  });
  afterAll(() => bot.stop());

  it('says so in the channel and on the timeline and pages the next level at once', async () => {
    const incident = await openIncident(bot);
    const all = await waitFor(async () => {
      const found = await steps(bot, incident.id);
      return found.length >= 2 ? found : undefined;
    }, { what: 'L1 gap and L2 paged' });
    expect(all.map((step) => [step.level, step.reason, step.notify])).toEqual([
      [1, 'opened', []],
      [2, 'gap', ['UBACKUP']],
    ]);
    expect(all[0]?.dueAt).toBeNull();
    expect(all[1]?.dueAt).not.toBeNull();
    const channelId = incident.channelId as string;
    await waitFor(() => bot.slack.messagesIn(channelId).some((message) => (message.text ?? '').includes('Nobody on call at L1: paged *L2* at once: <@UBACKUP>')), { what: 'L2 paged at once, said' });
    expect(bot.slack.messagesIn(channelId).some((message) => (message.text ?? '').includes('*L1*: nobody to page: nobody is on call in schedule later'))).toBe(true);
    const gaps = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id, type: 'escalation.nobody_on_call' }, orderBy: { id: 'asc' } });
    expect(gaps.map((event) => event.data)).toEqual([
      { step: 1, level: 'L1', schedule: 'later', next: 'L2' },
      // L2 still has someone to page: the empty schedule is said, and L2 waits for its acknowledgement.
      { step: 2, level: 'L2', schedule: 'later', next: null },
    ]);
    expect(bot.slack.messagesIn(channelId).some((message) => (message.text ?? '').includes('<@UBACKUP>. ⚠️ nobody is on call in schedule later.'))).toBe(true);
    // Still L2 an hour of waiting later: the gap did not skip further.
    expect((await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).level).toBe(2);
  });
});
