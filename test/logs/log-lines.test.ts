import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childLog, createLogger } from '../../src/log.js';
import { alertmanagerPayload, dbAlert } from '../support/alertmanager.js';
import { duplicateKeys } from '../support/duplicate-keys.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { lines, log: createLogger('debug', sink) };
}

describe('log lines', () => {
  it('never repeat a key, whether bound on the logger, bound twice or passed again', () => {
    const { lines, log } = capture();
    const job = childLog(log, { jobId: 'j1', incidentId: 'i1' });
    const sync = childLog(job, { incidentId: 'i1', channelId: 'C1' });
    sync.info({ incidentId: 'i1', channelId: 'C1', extra: 1 }, 'channel created');
    sync.warn({ incidentId: 'i2' }, 'another incident');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(duplicateKeys(line), line).toEqual([]);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ jobId: 'j1', incidentId: 'i1', channelId: 'C1', extra: 1 });
    // A different value under a bound key is kept, under its own name.
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ incidentId: 'i1', incidentIdHere: 'i2' });
  });

  it('finds repeated keys (the check itself)', () => {
    expect(duplicateKeys('{"a":1,"b":{"a":2},"a":3}')).toEqual(['a']);
    expect(duplicateKeys('{"a":"x\\":y","c":[{"a":1},{"a":2}]}')).toEqual([]);
  });
});

describe('the log of a whole incident', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('is strict JSON: no line repeats a key', async () => {
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert()] }));
    await waitFor(() => bot.db.incident.findFirst({ where: { messageTs: { not: null } } }), { what: 'incident message' });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert({ status: 'resolved' })] }));
    await waitFor(() => bot.db.incident.findFirst({ where: { status: 'resolved' } }), { what: 'incident resolved' });
    const lines = bot.logs.flatMap((chunk) => chunk.split('\n')).filter((line) => line !== '');
    expect(lines.filter((line) => line.includes('"incidentId"')).length).toBeGreaterThan(0);
    for (const line of lines) expect(duplicateKeys(line), line).toEqual([]);
  });
});
