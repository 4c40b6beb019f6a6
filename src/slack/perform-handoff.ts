import type { Deps } from '../deps.js';
import { slackDate } from './render/slack-date.js';
import { refusedForGood } from './web-client.js';

/** How long a worker holds a handoff while doing its Slack work; a worker that died is taken over after. */
const CLAIM_SECONDS = 120;

type Part = 'usergroup' | 'notice' | 'dm';

export type HandoffOutcome = 'done' | 'superseded' | 'not_mine' | 'missing';

/**
 * Does a handoff's Slack work once: sets the schedule's user group to the incoming person, tells
 * the handoff channel, and messages the person. A claim in Postgres keeps a second worker out;
 * each part is recorded as it succeeds, so a retry after a failure does only what is left. A
 * handoff that a later one already replaced (the bot was down across both) is closed silently.
 */
export async function performHandoff(deps: Pick<Deps, 'db' | 'slack' | 'config' | 'log' | 'clock'>, handoffId: string): Promise<HandoffOutcome> {
  const claimed = await deps.db.$executeRaw`
    UPDATE schedule_handoffs SET claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
    WHERE id = ${handoffId}::uuid AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())`;
  const row = await deps.db.scheduleHandoff.findUnique({ where: { id: handoffId } });
  if (!row) return 'missing';
  if (claimed === 0) return row.doneAt ? 'done' : 'not_mine';
  const log = deps.log.child({ schedule: row.schedule });
  const schedule = deps.config.schedules[row.schedule];
  const later = await deps.db.scheduleHandoff.count({ where: { schedule: row.schedule, startsAt: { gt: row.startsAt } } });
  if (!schedule || later > 0) {
    await deps.db.scheduleHandoff.update({ where: { id: handoffId }, data: { doneAt: deps.clock.now(), claimedUntil: null } });
    return 'superseded';
  }
  const done = new Set(row.partsDone);
  const part = async (name: Part, work: () => Promise<unknown>) => {
    if (done.has(name)) return;
    try {
      await work();
    } catch (error) {
      const code = refusedForGood(error);
      // A retry cannot help (a missing scope, a channel that is gone): logged and skipped, not retried forever.
      if (!code) {
        await deps.db.scheduleHandoff.update({ where: { id: handoffId }, data: { claimedUntil: null } });
        throw error;
      }
      log.warn({ part: name, error: code }, 'handoff: Slack refused a part of the handoff');
    }
    await deps.db.scheduleHandoff.update({ where: { id: handoffId }, data: { partsDone: { push: name } } });
  };
  const until = slackDate(row.endsAt);
  const via = row.overrideId !== null ? `override #${row.overrideId}` : `layer ${row.layer ?? ''}`;
  if (schedule.slack_usergroup) {
    const usergroup = schedule.slack_usergroup;
    await part('usergroup', () => deps.slack.usergroups.users.update({ usergroup, users: row.userId }));
  }
  if (schedule.handoff_notify) {
    const channel = schedule.handoff_notify;
    await part('notice', () => deps.slack.chat.postMessage({ channel, text: `📟 <@${row.userId}> is now on call in \`${row.schedule}\` until ${until} (${via}).`, unfurl_links: false }));
  }
  await part('dm', () => deps.slack.chat.postMessage({ channel: row.userId, text: `📟 You are now on call in \`${row.schedule}\` until ${until}. \`/incident oncall ${row.schedule}\` shows the week ahead.`, unfurl_links: false }));
  await deps.db.scheduleHandoff.update({ where: { id: handoffId }, data: { doneAt: deps.clock.now(), claimedUntil: null } });
  log.info({ user: row.userId, startsAt: row.startsAt.toISOString() }, 'handoff done');
  return 'done';
}

