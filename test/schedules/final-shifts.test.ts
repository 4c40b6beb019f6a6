import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-file.js';
import { finalShifts, scheduleGaps, shiftAt } from '../../src/schedules/final-shifts.js';
import { onCallAt } from '../../src/schedules/on-call-at.js';

function schedule(raw: Record<string, unknown>) {
  const parsed = configSchema.parse({ schedules: { s: raw } }).schedules.s;
  if (!parsed) throw new Error('no schedule');
  return parsed;
}
const t = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const view = (shifts: { user: string; from: number; until: number; layer: string | null; override: number | null }[]) => shifts.map((shift) => [shift.user, iso(shift.from), iso(shift.until), shift.layer ?? `override ${shift.override}`]);

describe('final schedule', () => {
  it('rotates weekly through several handoffs at the configured weekday and time', () => {
    const weekly = schedule({ time_zone: 'UTC', layers: [{ name: 'weekly', users: ['UA1', 'UB2', 'UC3'], rotation: 'weekly', handoff: 'monday 10:00', start: '2026-11-04' }] });
    // 2026-11-04 is a Wednesday: the first turn starts the Monday after.
    expect(onCallAt(weekly, [], t('2026-11-08T12:00:00Z'))).toBeUndefined();
    expect(view(finalShifts(weekly, [], t('2026-11-09T00:00:00Z'), t('2026-12-01T00:00:00Z')))).toEqual([
      ['UA1', '2026-11-09T10:00:00.000Z', '2026-11-16T10:00:00.000Z', 'weekly'],
      ['UB2', '2026-11-16T10:00:00.000Z', '2026-11-23T10:00:00.000Z', 'weekly'],
      ['UC3', '2026-11-23T10:00:00.000Z', '2026-11-30T10:00:00.000Z', 'weekly'],
      ['UA1', '2026-11-30T10:00:00.000Z', '2026-12-01T00:00:00.000Z', 'weekly'],
    ]);
    expect(onCallAt(weekly, [], t('2027-03-01T09:59:00Z'))?.user).toBe('UA1');
  });

  it('rotates daily and by elapsed durations', () => {
    const daily = schedule({ time_zone: 'UTC', layers: [{ name: 'd', users: ['UA1', 'UB2'], rotation: 'daily', handoff: '09:00', start: '2026-11-02' }] });
    expect(finalShifts(daily, [], t('2026-11-02T00:00:00Z'), t('2026-11-05T12:00:00Z')).map((shift) => [shift.user, iso(shift.from)])).toEqual([
      ['UA1', '2026-11-02T09:00:00.000Z'],
      ['UB2', '2026-11-03T09:00:00.000Z'],
      ['UA1', '2026-11-04T09:00:00.000Z'],
      ['UB2', '2026-11-05T09:00:00.000Z'],
    ]);
    const twelve = schedule({ time_zone: 'UTC', layers: [{ name: 'h', users: ['UA1', 'UB2', 'UC3'], rotation: '12h', handoff: '08:00', start: '2026-11-02' }] });
    expect(onCallAt(twelve, [], t('2026-11-03T07:59:00Z'))?.user).toBe('UB2');
    expect(onCallAt(twelve, [], t('2026-11-03T08:00:00Z'))?.user).toBe('UC3');
  });

  it('lets a business-hours layer win over a weekly one only inside its windows', () => {
    const layered = schedule({
      time_zone: 'Europe/Berlin',
      layers: [
        { name: 'weekly', users: ['UWEEK1'], rotation: 'weekly', handoff: 'monday 10:00', start: '2026-11-02' },
        { name: 'business-hours', users: ['UDAY1', 'UDAY2'], rotation: 'daily', handoff: '09:00', start: '2026-11-02', restrict: ['mon-fri 09:00-17:00'] },
      ],
    });
    // Friday 2026-11-13 and the weekend after, Berlin is UTC+1.
    expect(view(finalShifts(layered, [], t('2026-11-13T00:00:00Z'), t('2026-11-16T12:00:00Z')))).toEqual([
      ['UWEEK1', '2026-11-13T00:00:00.000Z', '2026-11-13T08:00:00.000Z', 'weekly'],
      ['UDAY2', '2026-11-13T08:00:00.000Z', '2026-11-13T16:00:00.000Z', 'business-hours'],
      ['UWEEK1', '2026-11-13T16:00:00.000Z', '2026-11-16T08:00:00.000Z', 'weekly'],
      ['UDAY1', '2026-11-16T08:00:00.000Z', '2026-11-16T12:00:00.000Z', 'business-hours'],
    ]);
  });

  it('lets an override starting and ending inside shifts win over every layer for its span', () => {
    const daily = schedule({ time_zone: 'UTC', layers: [{ name: 'd', users: ['UA1', 'UB2'], rotation: 'daily', handoff: '09:00', start: '2026-11-02' }] });
    const overrides = [{ id: 7, user: 'UOVER', from: t('2026-11-02T15:00:00Z'), until: t('2026-11-03T11:00:00Z') }];
    expect(view(finalShifts(daily, overrides, t('2026-11-02T09:00:00Z'), t('2026-11-04T09:00:00Z')))).toEqual([
      ['UA1', '2026-11-02T09:00:00.000Z', '2026-11-02T15:00:00.000Z', 'd'],
      ['UOVER', '2026-11-02T15:00:00.000Z', '2026-11-03T11:00:00.000Z', 'override 7'],
      ['UB2', '2026-11-03T11:00:00.000Z', '2026-11-04T09:00:00.000Z', 'd'],
    ]);
    expect(shiftAt(daily, overrides, t('2026-11-03T12:00:00Z'))).toMatchObject({ user: 'UB2', from: t('2026-11-03T11:00:00Z'), until: t('2026-11-04T09:00:00Z') });
  });

  it('keeps wall-clock handoffs on the Sunday Europe/Berlin leaves summer time', () => {
    const berlin = schedule({ time_zone: 'Europe/Berlin', layers: [{ name: 'd', users: ['UA1', 'UB2'], rotation: 'daily', handoff: '10:00', start: '2026-10-20' }] });
    const shifts = finalShifts(berlin, [], t('2026-10-24T00:00:00Z'), t('2026-10-27T00:00:00Z'));
    // Saturday 10:00 CEST is 08:00Z; Sunday and Monday 10:00 CET are 09:00Z: the Saturday turn lasts 25 hours.
    expect(shifts.slice(1).map((shift) => iso(shift.from))).toEqual(['2026-10-24T08:00:00.000Z', '2026-10-25T09:00:00.000Z', '2026-10-26T09:00:00.000Z']);
    expect((shifts[1] as { until: number }).until - (shifts[1] as { from: number }).from).toBe(25 * 3_600_000);
  });

  it('keeps wall-clock handoffs on the Sunday America/New_York starts summer time', () => {
    const ny = schedule({
      time_zone: 'America/New_York',
      layers: [
        { name: 'weekly', users: ['UA1', 'UB2'], rotation: 'weekly', handoff: 'sunday 09:00', start: '2026-02-01' },
        { name: 'nights', users: ['UNIGHT'], rotation: 'daily', handoff: '09:00', start: '2026-02-01', restrict: ['daily 22:00-06:00'] },
      ],
    });
    const shifts = finalShifts(ny, [], t('2026-03-07T12:00:00Z'), t('2026-03-09T12:00:00Z'));
    expect(view(shifts)).toEqual([
      ['UA1', '2026-03-07T12:00:00.000Z', '2026-03-08T03:00:00.000Z', 'weekly'],
      // Saturday 22:00 EST is 03:00Z; the night ends Sunday 06:00 EDT, 10:00Z (a night of seven hours).
      ['UNIGHT', '2026-03-08T03:00:00.000Z', '2026-03-08T10:00:00.000Z', 'nights'],
      ['UA1', '2026-03-08T10:00:00.000Z', '2026-03-08T13:00:00.000Z', 'weekly'],
      // The weekly handoff, Sunday 09:00 EDT, is 13:00Z (it was 14:00Z the week before).
      ['UB2', '2026-03-08T13:00:00.000Z', '2026-03-09T02:00:00.000Z', 'weekly'],
      ['UNIGHT', '2026-03-09T02:00:00.000Z', '2026-03-09T10:00:00.000Z', 'nights'],
      ['UB2', '2026-03-09T10:00:00.000Z', '2026-03-09T12:00:00.000Z', 'weekly'],
    ]);
    expect(onCallAt(ny, [], t('2026-03-01T13:59:00Z'))?.user).toBe('UB2');
    expect(onCallAt(ny, [], t('2026-03-01T14:00:00Z'))?.user).toBe('UA1');
  });

  it('finds the gaps where nobody is on call', () => {
    const hours = schedule({ time_zone: 'UTC', layers: [{ name: 'b', users: ['UA1'], rotation: 'daily', handoff: '09:00', start: '2026-11-02', restrict: ['mon-fri 09:00-17:00'] }] });
    expect(scheduleGaps(hours, [], t('2026-11-06T12:00:00Z'), t('2026-11-09T12:00:00Z')).map((gap) => [iso(gap.from), iso(gap.until)])).toEqual([['2026-11-06T17:00:00.000Z', '2026-11-09T09:00:00.000Z']]);
  });
});
