import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../support/clock.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

// Wednesday 2026-11-04 12:00 in Berlin.
const clock = clockStartingAt('2026-11-04T11:00:00Z');
const schedules = {
  'backend-primary': {
    time_zone: 'Europe/Berlin',
    layers: [{ name: 'weekly', users: ['UPRIMARY1', 'UPRIMARY2'], rotation: 'weekly', handoff: 'monday 10:00', start: '2026-11-02' }],
  },
  'db-experts': { time_zone: 'UTC', layers: [{ name: 'daily', users: ['UDBEXPERT'], rotation: 'daily', handoff: '09:00', start: '2026-11-02', restrict: ['mon-fri 09:00-17:00'] }] },
};

describe('/incident oncall', () => {
  let bot: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  let sent = 0;
  async function oncall(text: string, userId: string): Promise<string> {
    sent++;
    const path = `/${sent}`;
    const body = slashCommandBody({ text: `oncall ${text}`.trim(), channelId: 'CGENERAL1', userId, responseUrl: `${sink.url}${path}` });
    const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body });
    expect(response.status).toBe(200);
    const answer = await waitFor(() => sink.received.find((entry) => entry.path === path), { what: `answer to "${text}"` });
    expect(answer.body.response_type).toBe('ephemeral');
    return String(answer.body.text);
  }
  beforeAll(async () => {
    sink = await startResponseSink();
    bot = await startTestBot({ clock, config: { schedules, responders: ['URESPONDER'] } });
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  it('says who is on call now in each schedule and until when', async () => {
    const text = await oncall('', 'USOMEONE');
    // The weekly turn ends Monday 2026-11-09 10:00 Berlin, 09:00Z.
    expect(text).toContain(`<@UPRIMARY1> until <!date^${Date.parse('2026-11-09T09:00:00Z') / 1000}^`);
    expect(text).toContain(`\`db-experts\`: <@UDBEXPERT> until <!date^${Date.parse('2026-11-04T17:00:00Z') / 1000}^`);
  });

  it('shows the next seven days of a schedule', async () => {
    const text = await oncall('db-experts', 'USOMEONE');
    // Wednesday noon to the next Wednesday noon: five business days' windows (Wed, Thu, Fri, Mon, Tue, Wed morning).
    expect(text.split('\n').filter((line) => line.includes('<@UDBEXPERT>'))).toHaveLength(6);
  });

  it('makes, lists and cancels an override, which wins while it lasts', async () => {
    const made = await oncall('override backend-primary <@UCOVER1|cover> 4h', 'UPRIMARY2');
    const id = Number(/Override #(\d+)/.exec(made)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(await oncall('', 'USOMEONE')).toContain(`\`backend-primary\`: <@UCOVER1> until`);
    const row = await bot.db.scheduleOverride.findUniqueOrThrow({ where: { id } });
    expect(row.endsAt.getTime() - row.startsAt.getTime()).toBe(4 * 3_600_000);
    const spanned = await oncall('override backend-primary <@UCOVER2> from 2026-12-24T18:00 to 2026-12-27T09:00', 'URESPONDER');
    expect(spanned).toContain('Override #');
    const second = await bot.db.scheduleOverride.findFirstOrThrow({ where: { userId: 'UCOVER2' } });
    // Read in the schedule's zone: 18:00 in Berlin is 17:00Z in winter.
    expect(second.startsAt.toISOString()).toBe('2026-12-24T17:00:00.000Z');
    const listed = await oncall('overrides backend-primary', 'USOMEONE');
    expect(listed).toContain(`#${id} <@UCOVER1>`);
    expect(listed).toContain(`#${second.id} <@UCOVER2>`);
    expect(await oncall(`cancel ${id}`, 'USTRANGER')).toContain('Only the people of `backend-primary` and the responders may cancel');
    expect(await oncall(`cancel ${id}`, 'UPRIMARY1')).toContain(`Cancelled override #${id}`);
    expect(await oncall('', 'USOMEONE')).toContain('`backend-primary`: <@UPRIMARY1> until');
    expect(await oncall(`cancel ${id}`, 'UPRIMARY1')).toContain('already cancelled');
  });

  it('explains wrong input without changing anything', async () => {
    const before = await bot.db.scheduleOverride.count();
    expect(await oncall('nosuch', 'USOMEONE')).toContain('There is no schedule `nosuch`. Schedules: `backend-primary`, `db-experts`.');
    expect(await oncall('override nosuch <@UCOVER1> 4h', 'URESPONDER')).toContain('There is no schedule `nosuch`');
    expect(await oncall('override backend-primary <@UCOVER1> soon', 'URESPONDER')).toContain('`soon` is not a duration');
    expect(await oncall('override backend-primary <@UCOVER1> from yesterday to 2026-12-01T00:00', 'URESPONDER')).toContain('Write both times in ISO 8601');
    expect(await oncall('override backend-primary <@UCOVER1> from 2026-12-02T00:00 to 2026-12-01T00:00', 'URESPONDER')).toContain('the end must come after the start');
    expect(await oncall('override backend-primary <@UCOVER1> 4h', 'USTRANGER')).toContain('Only the people of `backend-primary` and the responders may make overrides');
    expect(await oncall('override backend-primary nobody 4h', 'URESPONDER')).toContain('Name one person with a mention');
    expect(await oncall('cancel abc', 'URESPONDER')).toContain("Give the override's number");
    expect(await oncall('cancel 99999', 'URESPONDER')).toContain('There is no override #99999');
    expect(await bot.db.scheduleOverride.count()).toBe(before);
  });
});
