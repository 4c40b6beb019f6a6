import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/config-file.js';
import { checkScheduleGaps } from '../../src/schedules/check-schedule-gaps.js';

async function configFile(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'schedules-')), 'incident-bot.yml');
  await writeFile(file, text);
  return file;
}

const layer = (fields: string) => `schedules:\n  backend-primary:\n    time_zone: Europe/Berlin\n    layers:\n      - name: weekly\n${fields}`;
const good = '        users: [U012AB3CD, U045EF6GH]\n        rotation: weekly\n        handoff: monday 10:00\n        start: 2026-11-02\n';

async function problem(text: string): Promise<string> {
  const file = await configFile(text);
  const error = await loadConfigFile(file, {}).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain(file);
  return message;
}

describe('schedules in the config file', () => {
  it('loads the documented example', async () => {
    const config = await loadConfigFile(
      await configFile(`${layer(good)}      - name: business-hours\n        users: [U0SECOND1, U0THIRD22]\n        rotation: daily\n        handoff: "09:00"\n        restrict: [mon-fri 09:00-17:00]\n    handoff_notify: C0ONCALL\n    slack_usergroup: S0ONCALL\nescalation:\n  backend:\n    levels:\n      - level: L1\n        notify: [schedule:backend-primary]\n        ack_timeout: 5m\n`),
      {},
    );
    expect(config.schedules['backend-primary']?.layers[1]?.restrict).toEqual([{ text: 'mon-fri 09:00-17:00', days: [1, 2, 3, 4, 5], startMinute: 540, lengthMinutes: 480 }]);
    expect(config.escalation.backend?.levels[0]?.notify).toEqual(['schedule:backend-primary']);
  });

  it('names file, path and reason for each mistake', async () => {
    expect(await problem(layer(good.replace('U045EF6GH', 'alice')))).toContain('schedules.backend-primary.layers.0.users.1: must be a Slack user ID');
    expect(await problem(layer('        users: []\n        rotation: weekly\n        handoff: monday 10:00\n        start: 2026-11-02\n'))).toContain('schedules.backend-primary.layers.0.users: a layer needs at least one user');
    expect(await problem(layer(good.replace('monday 10:00', 'mondays at ten')))).toContain('schedules.backend-primary.layers.0.handoff: "mondays at ten" does not parse');
    expect(await problem(layer(good.replace('rotation: weekly', 'rotation: daily').replace('monday 10:00', '25:00')))).toContain('schedules.backend-primary.layers.0.handoff: "25:00" does not parse');
    expect(await problem(layer(good).replace('Europe/Berlin', 'Europe/Atlantis'))).toContain('schedules.backend-primary.time_zone: is not a known IANA time zone');
    expect(await problem(layer(`${good}        restrict: [weekdays 9-5]\n`))).toContain('schedules.backend-primary.layers.0.restrict.0: "weekdays 9-5" is not a restriction');
    expect(await problem(layer(good.replace('rotation: weekly', 'rotation: fortnightly')))).toContain('schedules.backend-primary.layers.0.rotation: "fortnightly" is not a rotation');
    expect(await problem(`${layer(good)}escalation:\n  default:\n    levels:\n      - level: L1\n        notify: [schedule:backend-secondary]\n`)).toContain(
      'escalation.default.levels.0.notify.0: names schedule "backend-secondary", which the schedules section does not define (defined: backend-primary)',
    );
  });

  it('warns of gaps in the next 14 days, naming the schedule and the span', async () => {
    const config = await loadConfigFile(
      await configFile('schedules:\n  days:\n    time_zone: UTC\n    layers:\n      - name: d\n        users: [U012AB3CD]\n        rotation: daily\n        handoff: "09:00"\n        start: 2026-11-02\n        restrict: [mon-fri 09:00-17:00]\n  always:\n    time_zone: UTC\n    layers:\n      - name: w\n        users: [U012AB3CD]\n        rotation: weekly\n        handoff: monday 09:00\n        start: 2026-10-01\n'),
      {},
    );
    const warnings = checkScheduleGaps(config, new Date('2026-11-06T12:00:00Z'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('schedule "days" has nobody on call in the next 14 days from 2026-11-06T17:00:00.000Z to 2026-11-09T09:00:00.000Z');
  });
});
