import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../support/alertmanager.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { waitFor } from '../support/wait-for.js';

const L1 = 'UL1ONCALL';
const L2 = 'UL2LEAD';
const PM_GROUP = 'SPMGROUP';
const PMS = ['UPMONE', 'UPMTWO'];

function policy(overrides: { ackTimeout?: string; criticalAckTimeout?: string; repeat?: string } = {}) {
  return {
    default: {
      levels: [
        { level: 'L1', notify: [L1], ack_timeout: overrides.ackTimeout ?? '1s', ...(overrides.criticalAckTimeout ? { critical_ack_timeout: overrides.criticalAckTimeout } : {}) },
        { level: 'L2', notify: [L2], ack_timeout: overrides.ackTimeout ?? '1s', direct_message: true },
        { level: 'L3', notify: [PM_GROUP], direct_message: true },
      ],
      ...(overrides.repeat ? { repeat_every: overrides.repeat } : {}),
    },
  };
}

let alertCounter = 0;
function firing(severity = 'warning') {
  alertCounter++;
  return alertmanagerPayload({ alerts: [{ labels: { alertname: `EscalationTest${alertCounter}`, severity, service: `service-${alertCounter}` }, annotations: { summary: `Escalation test ${alertCounter}` } }] });
}

async function openIncident(bot: TestBot, severity = 'warning') {
  const payload = firing(severity);
  await bot.post('/webhooks/alertmanager', payload);
  return waitFor(() => bot.db.incident.findFirst({ where: { title: payload.commonAnnotations.summary as string, messageTs: { not: null } } }), { what: 'incident posted' });
}

async function command(bot: TestBot, sinkUrl: string, channelId: string, text: string, userId: string) {
  const body = slashCommandBody({ text, channelId, userId, responseUrl: `${sinkUrl}/${encodeURIComponent(text)}/${userId}` });
  const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body });
  expect(response.status).toBe(200);
}

const steps = (bot: TestBot, incidentId: string) => bot.db.escalation.findMany({ where: { incidentId }, orderBy: { step: 'asc' } });

describe('escalation L1 → L2 → L3', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    slack = await startFakeSlack({ usergroups: { [PM_GROUP]: PMS } });
    sink = await startResponseSink();
    bot = await startTestBot({ slack, config: { escalation: policy({ repeat: '1s' }) } });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await sink.close();
  });

  it('pages L1 at once, then L2 and L3 (user group expanded), repeats, and stops on acknowledgement', async () => {
    const incident = await openIncident(bot);
    const channelId = incident.channelId as string;
    await waitFor(async () => (await steps(bot, incident.id)).length >= 4, { what: 'L1, L2, L3 and one repeat', timeoutMs: 15_000 });
    await command(bot, sink.url, channelId, 'ack', L1);
    const acknowledged = await waitFor(async () => {
      const current = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
      return current.status === 'acknowledged' ? current : undefined;
    }, { what: 'acknowledged' });
    expect(acknowledged).toMatchObject({ acknowledgedBy: L1, nextEscalationAt: null, escalationToken: null });
    const atAck = await steps(bot, incident.id);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const after = await steps(bot, incident.id);
    expect(after).toHaveLength(atAck.length);
    expect(after.slice(0, 4).map((step) => [step.step, step.level, step.reason])).toEqual([
      [1, 1, 'opened'],
      [2, 2, 'timeout'],
      [3, 3, 'timeout'],
      [4, 3, 'repeat'],
    ]);

    // Slack: each level invited and mentioned once per step; L2 and L3 messaged directly; the group expanded.
    const invited = slack.callsTo('conversations.invite').filter((call) => call.args.channel === channelId).map((call) => String(call.args.users));
    expect(invited[0]).toBe(L1);
    expect(invited[1]).toBe(L2);
    expect(invited[2]?.split(',').sort()).toEqual([...PMS].sort());
    const channelText = slack.messagesIn(channelId).map((message) => message.text ?? '');
    expect(channelText.filter((text) => text.includes(`<@${L1}>`) && text.includes('L1* paged'))).toHaveLength(1);
    expect(channelText.filter((text) => text.includes(`<@${L2}>`) && text.includes('escalated to *L2*'))).toHaveLength(1);
    expect(channelText.filter((text) => text.includes(`<!subteam^${PM_GROUP}>`) && text.includes('escalated to *L3*'))).toHaveLength(1);
    expect(channelText.filter((text) => text.includes('Still not acknowledged')).length).toBe(atAck.length - 3);
    expect(channelText.some((text) => text.includes(`Acknowledged by <@${L1}>`))).toBe(true);
    const dms = slack.callsTo('chat.postMessage').filter((call) => /^[UW]/.test(String(call.args.channel)));
    // L1 is not paged directly; acknowledging first makes them commander, whose duty comes by DM.
    expect(dms.filter((call) => call.args.channel === L1 && !String(call.args.text).includes('You are *commander*'))).toHaveLength(0);
    expect(dms.filter((call) => call.args.channel === L2)).toHaveLength(1);
    for (const pm of PMS) expect(dms.filter((call) => call.args.channel === pm).length).toBe(atAck.length - 2);
    expect(String(dms.find((call) => call.args.channel === L2)?.args.text)).toContain(`<#${channelId}>`);

    const events = await bot.db.timelineEvent.findMany({ where: { incidentId: incident.id, type: { in: ['escalation.notified', 'incident.acknowledged'] } }, orderBy: { id: 'asc' } });
    expect(events.filter((event) => event.type === 'escalation.notified')).toHaveLength(atAck.length);
    expect(events.at(-1)).toMatchObject({ type: 'incident.acknowledged', actor: L1, source: 'slack' });
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_escalations_total\{level="L2",reason="timeout"\} [1-9]/);
    expect(metrics).toMatch(/incident_bot_time_to_acknowledge_seconds_count [1-9]/);
  });

  it('refuses an acknowledgement from someone the policy does not name, with an explanation', async () => {
    const incident = await openIncident(bot);
    await command(bot, sink.url, incident.channelId as string, 'ack', 'USTRANGER');
    const answer = await waitFor(() => sink.received.find((entry) => entry.path === `/ack/USTRANGER`), { what: 'refusal' });
    expect(answer.body.text).toContain("Only the people this incident's escalation policy names may acknowledge it");
    expect((await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('open');
    expect(await bot.db.timelineEvent.count({ where: { incidentId: incident.id, type: 'incident.ack_refused', actor: 'USTRANGER' } })).toBe(1);
    await command(bot, sink.url, incident.channelId as string, 'resolve all good', L2);
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'resolved' });
  });

  it('stops escalating when the incident is resolved', async () => {
    const incident = await openIncident(bot);
    await command(bot, sink.url, incident.channelId as string, 'resolve false alarm', L1);
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status === 'resolved', { what: 'resolved' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await steps(bot, incident.id)).map((step) => step.level)).toEqual([1]);
    expect(slack.messagesIn(incident.channelId as string).some((message) => (message.text ?? '').includes('Resolved by') && (message.text ?? '').includes('false alarm'))).toBe(true);
    const resolved = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(resolved).toMatchObject({ activeGroupKey: null, nextEscalationAt: null, escalationToken: null });
  });

  it('settles an acknowledgement racing the deadline: whichever commits first wins, nothing after the ack', async () => {
    for (let round = 0; round < 4; round++) {
      const incident = await openIncident(bot);
      const due = (await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).nextEscalationAt as Date;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now() + (round - 2) * 5)));
      await command(bot, sink.url, incident.channelId as string, 'ack', L1);
      const acked = await waitFor(async () => {
        const current = await bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
        return current.acknowledgedAt ?? undefined;
      }, { what: 'acknowledged' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const recorded = await steps(bot, incident.id);
      expect(recorded.length).toBeLessThanOrEqual(2);
      for (const step of recorded) expect(step.at.getTime()).toBeLessThanOrEqual(acked.getTime());
      await waitFor(() => slack.messagesIn(incident.channelId as string).filter((message) => /paged|escalated to/.test(message.text ?? '')).length === recorded.length, { what: 'one ping per recorded step' });
    }
  });
});

describe('manual escalation and critical incidents', () => {
  let slack: FakeSlack;
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  beforeAll(async () => {
    slack = await startFakeSlack({ usergroups: { [PM_GROUP]: PMS } });
    sink = await startResponseSink();
    bot = await startTestBot({ slack, config: { escalation: policy({ ackTimeout: '1h', criticalAckTimeout: '400ms' }) } });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await sink.close();
  });

  it('escalates by hand to the next level with a reason, or skips to the level named', async () => {
    const first = await openIncident(bot);
    await command(bot, sink.url, first.channelId as string, 'escalate need the database lead', L1);
    await waitFor(async () => (await steps(bot, first.id)).length === 2, { what: 'manual L2' });
    expect((await steps(bot, first.id))[1]).toMatchObject({ level: 2, reason: 'manual', actor: L1, note: 'need the database lead' });

    const second = await openIncident(bot);
    await command(bot, sink.url, second.channelId as string, 'escalate L3 customers are affected', L1);
    await waitFor(async () => (await steps(bot, second.id)).length === 2, { what: 'manual L3' });
    expect((await steps(bot, second.id)).map((step) => step.level)).toEqual([1, 3]);
    await waitFor(() => slack.messagesIn(second.channelId as string).some((message) => (message.text ?? '').includes(`<@${L1}> escalated`) && (message.text ?? '').includes('customers are affected')), { what: 'manual escalation message' });

    await command(bot, sink.url, second.channelId as string, 'escalate', L1);
    const top = await waitFor(() => sink.received.find((entry) => entry.path === `/escalate/${L1}`), { what: 'at-top answer' });
    expect(top.body.text).toContain('no higher level');
  });

  it('uses the shorter critical wait for critical incidents', async () => {
    const incident = await openIncident(bot, 'critical');
    const [first] = await steps(bot, incident.id);
    expect((first?.dueAt?.getTime() ?? 0) - (first?.at.getTime() ?? 0)).toBe(400);
    await waitFor(async () => (await steps(bot, incident.id)).length === 2, { what: 'L2 for a critical incident', timeoutMs: 10_000 });
    const warning = await openIncident(bot, 'warning');
    const [warningFirst] = await steps(bot, warning.id);
    expect((warningFirst?.dueAt?.getTime() ?? 0) - (warningFirst?.at.getTime() ?? 0)).toBe(3_600_000);
  });
});
