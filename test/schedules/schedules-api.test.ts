import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../support/clock.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

const TOKEN = 'schedules-api-token-0123456789';
// Monday 2026-11-02 08:00 UTC, 09:00 in Berlin.
const clock = clockStartingAt('2026-11-02T08:00:00Z');
const schedules = {
  'backend-primary': {
    time_zone: 'Europe/Berlin',
    layers: [
      { name: 'weekly', users: ['UWEEKA', 'UWEEKB', 'UWEEKC'], rotation: 'weekly', handoff: 'monday 10:00', start: '2026-11-02' },
      { name: 'business-hours', users: ['UDAYA', 'UDAYB'], rotation: 'daily', handoff: '09:00', start: '2026-11-02', restrict: ['mon-fri 09:00-17:00'] },
    ],
  },
};

describe('schedules API and calendar feed', () => {
  let bot: TestBot;
  const get = (path: string, token: string | null = TOKEN) => fetch(`${bot.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  beforeAll(async () => {
    bot = await startTestBot({ clock, env: { API_TOKEN: TOKEN }, config: { schedules } });
  });
  afterAll(() => bot.stop());

  it('lists schedules with who is on call now', async () => {
    const response = await get('/api/schedules');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { schedules: { name: string; timeZone: string; onCall: { user: string; layer: string } | null }[] };
    expect(body.schedules).toHaveLength(1);
    expect(body.schedules[0]).toMatchObject({ name: 'backend-primary', timeZone: 'Europe/Berlin', onCall: { user: 'UDAYA', layer: 'business-hours' } });
    expect(body.schedules[0]).toMatchObject({ layers: [{ name: 'weekly', handoff: 'monday 10:00', restrict: [] }, { name: 'business-hours', restrict: ['mon-fri 09:00-17:00'], rotation: 'daily' }] });
    expect((await get('/api/schedules', null)).status).toBe(401);
    expect((await get('/api/schedules', 'wrong')).status).toBe(401);
  });

  it('answers who is on call at a time, with the layer or override and the span', async () => {
    const night = await (await get('/api/schedules/backend-primary/oncall?at=2026-11-10T22:00:00Z')).json();
    expect(night).toEqual({ schedule: 'backend-primary', at: '2026-11-10T22:00:00.000Z', user: 'UWEEKB', layer: 'weekly', override: null, from: '2026-11-10T16:00:00.000Z', until: '2026-11-11T08:00:00.000Z' });
    const override = await bot.db.scheduleOverride.create({ data: { schedule: 'backend-primary', userId: 'UCOVER', startsAt: new Date('2026-11-10T20:00:00Z'), endsAt: new Date('2026-11-10T23:00:00Z'), createdBy: 'UWEEKB' } });
    const covered = await (await get('/api/schedules/backend-primary/oncall?at=2026-11-10T22:00:00Z')).json();
    expect(covered).toMatchObject({ user: 'UCOVER', layer: null, override: override.id, from: '2026-11-10T20:00:00.000Z', until: '2026-11-10T23:00:00.000Z' });
    const before = await (await get('/api/schedules/backend-primary/oncall?at=2026-11-01T12:00:00Z')).json();
    expect(before).toMatchObject({ user: null });
    const bad = await get('/api/schedules/backend-primary/oncall?at=tomorrow');
    expect(bad.status).toBe(400);
    expect((await get('/api/schedules/nosuch/oncall')).status).toBe(404);
  });

  it('serves eight weeks of final shifts as iCalendar, parsed back by a calendar library', async () => {
    expect((await get('/api/schedules/backend-primary.ics', null)).status).toBe(401);
    const response = await fetch(`${bot.url}/api/schedules/backend-primary.ics?token=${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(await response.text()));
    const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    const spans = events.map((event) => ({ summary: event.summary, start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString() }));
    // Eight weeks from Monday 09:00 Berlin: the first shift is the weekly layer's first turn until business hours start.
    expect(spans[0]).toEqual({ summary: 'UDAYA on call (backend-primary)', start: '2026-11-02T08:00:00.000Z', end: '2026-11-02T16:00:00.000Z' });
    expect(spans[1]).toEqual({ summary: 'UWEEKA on call (backend-primary)', start: '2026-11-02T16:00:00.000Z', end: '2026-11-03T08:00:00.000Z' });
    expect(spans.find((span) => span.summary.startsWith('UCOVER'))).toEqual({ summary: 'UCOVER on call (backend-primary)', start: '2026-11-10T20:00:00.000Z', end: '2026-11-10T23:00:00.000Z' });
    // Contiguous and eight weeks long: weekdays split into business hours and the rest.
    for (let index = 1; index < spans.length; index++) expect(spans[index]?.start).toBe(spans[index - 1]?.end);
    expect(Math.abs(Date.parse(spans.at(-1)?.end ?? '') - Date.parse('2026-12-28T08:00:00Z'))).toBeLessThan(60_000);
    expect(events.length).toBeGreaterThan(8 * 5 * 2);
  });
});
