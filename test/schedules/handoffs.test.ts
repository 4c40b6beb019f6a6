import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE } from '../../src/queue/jobs.js';
import { movableClock } from '../support/clock.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { REDIS_URL, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const HANDOFF_CHANNEL = 'CHANDOFF01';
const GROUP = 'SONCALL01';
const config = {
  schedules: {
    rota: {
      time_zone: 'Europe/Berlin',
      layers: [{ name: 'daily', users: ['UROTAAAA1', 'UROTABBB2'], rotation: 'daily', handoff: '10:00', start: '2026-11-01' }],
      handoff_notify: HANDOFF_CHANNEL,
      slack_usergroup: GROUP,
    },
  },
};

/** Empties the deployment's Redis queues (as a Redis restarted without its data would). */
async function emptyRedis(prefix: string): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  try {
    for (const name of Object.values(QUEUE)) {
      const queue = new Queue(name, { connection, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  } finally {
    connection.disconnect();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('handoffs', () => {
  // Monday 2026-11-02, 09:58 in Berlin: UROTAAAA1 has been on call since Sunday 10:00.
  const clock = movableClock('2026-11-02T08:58:00Z');
  let slack: FakeSlack;
  let bot: TestBot;
  let second: TestBot | undefined;
  const notices = () => slack.messagesIn(HANDOFF_CHANNEL).map((message) => message.text ?? '');
  const dmsTo = (user: string) => slack.callsTo('chat.postMessage').filter((call) => call.args.channel === user);
  beforeAll(async () => {
    slack = await startFakeSlack({ usergroups: { [GROUP]: ['USOMEONE1'] }, channels: [{ name: 'oncall', id: HANDOFF_CHANNEL }] });
    bot = await startTestBot({ slack, clock, config, relayIntervalMs: 150 });
  });
  afterAll(async () => {
    await second?.stop();
    await bot.stop();
    await slack.close();
  });

  it('tells the channel, messages the incoming person and sets the user group, once per handoff across a restart, an emptied Redis and two workers', async () => {
    await waitFor(() => slack.usergroups.get(GROUP)?.users.join() === 'UROTAAAA1', { what: 'group set to the person on call' });
    await waitFor(() => notices().length === 1 && dmsTo('UROTAAAA1').length === 1, { what: 'first notice and message' });
    expect(notices()[0]).toContain('<@UROTAAAA1> is now on call in `rota` until <!date^' + Date.parse('2026-11-02T09:00:00Z') / 1000);

    // 10:00 in Berlin: the daily handoff.
    clock.advance(3 * 60_000);
    await waitFor(() => slack.usergroups.get(GROUP)?.users.join() === 'UROTABBB2', { what: 'group handed over' });
    await waitFor(() => notices().length === 2 && dmsTo('UROTABBB2').length === 1, { what: 'second notice and message' });
    expect(notices()[1]).toContain('<@UROTABBB2> is now on call in `rota` until <!date^' + Date.parse('2026-11-03T09:00:00Z') / 1000);
    expect(String(dmsTo('UROTABBB2')[0]?.args.text)).toContain('You are now on call in `rota`');

    // A restart with an emptied Redis: the relay rebuilds from Postgres and finds nothing left to do.
    const stop = bot.bot.stop;
    bot.bot = { ...bot.bot, stop: async () => (await stop(), await emptyRedis(bot.queuePrefix)) };
    await bot.restart();
    await pause(1_500);
    expect(notices()).toHaveLength(2);
    expect(dmsTo('UROTAAAA1')).toHaveLength(1);
    expect(dmsTo('UROTABBB2')).toHaveLength(1);
    expect(slack.callsTo('usergroups.users.update')).toHaveLength(2);

    // Two workers of the same deployment at the next handoff: one notice, one message, one sync.
    second = await startTestBot({ shareWith: bot, clock, config, relayIntervalMs: 150 });
    clock.advance(86_400_000);
    await waitFor(() => notices().length === 3, { what: 'third notice' });
    await pause(1_500);
    expect(notices()).toHaveLength(3);
    expect(dmsTo('UROTAAAA1')).toHaveLength(2);
    expect(slack.callsTo('usergroups.users.update')).toHaveLength(3);
    expect(slack.usergroups.get(GROUP)?.users).toEqual(['UROTAAAA1']);
    const rows = await bot.db.scheduleHandoff.findMany({ orderBy: { startsAt: 'asc' } });
    expect(rows.map((row) => [row.userId, row.startsAt.toISOString(), row.doneAt !== null])).toEqual([
      ['UROTAAAA1', '2026-11-01T09:00:00.000Z', true],
      ['UROTABBB2', '2026-11-02T09:00:00.000Z', true],
      ['UROTAAAA1', '2026-11-03T09:00:00.000Z', true],
    ]);
  });

  it('a handoff that a later one replaced while the bot was away is closed without a word', async () => {
    const before = notices().length;
    // Two days pass at once, and a handoff of the day between is found pending after the newest: only the newest is announced.
    clock.advance(2 * 86_400_000);
    await waitFor(() => bot.db.scheduleHandoff.findFirst({ where: { startsAt: new Date('2026-11-05T09:00:00Z') } }), { what: 'the newest handoff recorded' });
    const missed = await bot.db.scheduleHandoff.create({ data: { schedule: 'rota', userId: 'UROTABBB2', startsAt: new Date('2026-11-04T09:00:00Z'), endsAt: new Date('2026-11-05T09:00:00Z'), layer: 'daily' } });
    await waitFor(() => notices().length === before + 1, { what: 'newest handoff announced' });
    await pause(1_000);
    expect(notices()).toHaveLength(before + 1);
    expect(notices().at(-1)).toContain('<@UROTAAAA1> is now on call');
    expect((await bot.db.scheduleHandoff.findUniqueOrThrow({ where: { id: missed.id } })).doneAt).not.toBeNull();
    expect(dmsTo('UROTABBB2')).toHaveLength(1);
  });

  it('hands back to the person of the layer when an override is cancelled early', async () => {
    const group = () => slack.usergroups.get(GROUP)?.users.join();
    const who = (await bot.db.scheduleHandoff.findFirstOrThrow({ orderBy: { startsAt: 'desc' } })).userId;
    const override = await bot.db.scheduleOverride.create({ data: { schedule: 'rota', userId: 'UCOVERME1', startsAt: clock.now(), endsAt: new Date(clock.now().getTime() + 4 * 3_600_000), createdBy: who } });
    await waitFor(() => group() === 'UCOVERME1' && notices().at(-1)?.includes('UCOVERME1'), { what: 'group set to the override, and said' });
    expect(notices().at(-1)).toContain(`<@UCOVERME1> is now on call in \`rota\``);
    expect(notices().at(-1)).toContain(`(override #${override.id})`);
    await bot.db.scheduleOverride.update({ where: { id: override.id }, data: { cancelledAt: clock.now(), cancelledBy: who } });
    await waitFor(() => group() === who && notices().at(-1)?.includes(who), { what: 'group handed back, and said' });
    expect(notices().at(-1)).toContain(`<@${who}> is now on call in \`rota\``);
    const before = notices().length;
    await pause(1_000);
    expect(notices()).toHaveLength(before);
  });
});
