import { DateTime } from 'luxon';
import { parseDuration } from '../../config/duration.js';
import type { Deps } from '../../deps.js';
import { cancelOverride, createOverride, onCallNow, schedulePeople, shiftsOf, upcomingOverrides } from '../../schedules/manage-overrides.js';
import type { Schedule } from '../../config/schedule-config.js';
import { peopleOf } from '../../escalation/people-of.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { slackDate } from '../render/slack-date.js';
import { parseOwner } from './parse-incident-command.js';

const USAGE = [
  '`/incident oncall`: who is on call now in each schedule',
  '`/incident oncall <schedule>`: the next seven days',
  '`/incident oncall override <schedule> <@user> <duration>` (from now, e.g. `4h`) or `... from <ISO time> to <ISO time>`',
  '`/incident oncall overrides <schedule>` · `/incident oncall cancel <override id>`',
].map(escapeMrkdwn).join('\n');

const NO_SCHEDULES = 'The config file defines no schedules: `incident-bot.example.yml` shows how to add one under `schedules:` (the sandbox ships a demo schedule).';

/** Who may make and cancel a schedule's overrides: its people and the config's responders (user groups expanded). */
async function mayManage(deps: Deps, schedule: Schedule | undefined, userId: string): Promise<boolean> {
  if (schedule && schedulePeople(schedule).includes(userId)) return true;
  if (deps.config.responders.includes(userId)) return true;
  const groups = deps.config.responders.filter((id) => id.startsWith('S'));
  return groups.length > 0 && (await peopleOf(deps.slack, groups)).includes(userId);
}

function unknownSchedule(deps: Deps, name: string): string {
  const known = Object.keys(deps.config.schedules);
  return `There is no schedule \`${escapeMrkdwn(name.slice(0, 60))}\`. ${known.length > 0 ? `Schedules: ${known.map((each) => `\`${each}\``).join(', ')}.` : NO_SCHEDULES}`;
}

/** A time written in ISO 8601; without an offset it is read in the schedule's zone. */
function parseTime(text: string | undefined, zone: string): Date | undefined {
  if (!text) return undefined;
  const parsed = DateTime.fromISO(text, { zone, setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** `/incident oncall …`: answers ephemerally; overrides are kept in Postgres. */
export async function oncallCommand(deps: Deps, args: readonly string[], userId: string): Promise<string> {
  const [first = '', second, ...rest] = args;
  const now = deps.clock.now();
  if (first === '') return allSchedulesNow(deps);
  if (first === 'help') return USAGE;
  if (first === 'overrides') {
    if (!second) return `Name the schedule. Usage:\n${USAGE}`;
    if (!deps.config.schedules[second]) return unknownSchedule(deps, second);
    const overrides = await upcomingOverrides(deps, second);
    if (overrides.length === 0) return `No overrides ahead in \`${second}\`.`;
    return [`*Overrides in \`${second}\`*`, ...overrides.map((row) => `#${row.id} <@${row.userId}> ${slackDate(row.startsAt)} → ${slackDate(row.endsAt)} (by <@${row.createdBy}>)`)].join('\n');
  }
  if (first === 'cancel') {
    const id = /^#?(\d{1,9})$/.exec(second ?? '');
    if (!id) return escapeMrkdwn("Give the override's number (see `/incident oncall overrides <schedule>`). Usage: `/incident oncall cancel <override id>`.");
    const outcome = await cancelOverride(deps, Number(id[1]), userId, (name) => mayManage(deps, deps.config.schedules[name], userId));
    if (outcome.kind === 'not_found') return `There is no override #${id[1]}.`;
    if (outcome.kind === 'already') return `Override #${id[1]} is already cancelled.`;
    if (outcome.kind === 'refused') return `Only the people of \`${outcome.schedule}\` and the responders may cancel its overrides.`;
    return `Cancelled override #${id[1]} of \`${outcome.schedule}\`.`;
  }
  if (first === 'override') {
    const schedule = second ? deps.config.schedules[second] : undefined;
    if (!second) return `Name the schedule. Usage:\n${USAGE}`;
    if (!schedule) return unknownSchedule(deps, second);
    if (!(await mayManage(deps, schedule, userId))) return `Only the people of \`${second}\` and the responders may make overrides in it.`;
    const person = rest[0] ? parseOwner(rest[0], userId) : undefined;
    if (!person || person.startsWith('S')) return escapeMrkdwn('Name one person with a mention (`@alice` or `me`). Usage: `/incident oncall override <schedule> <@user> <duration>`.');
    let from = now;
    let until: Date | undefined;
    if (rest[1] === 'from') {
      const start = parseTime(rest[2], schedule.time_zone);
      const end = rest[3] === 'to' ? parseTime(rest[4], schedule.time_zone) : undefined;
      if (!start || !end) return `Write both times in ISO 8601, e.g. \`from 2026-12-24T18:00 to 2026-12-27T09:00\` (read in ${schedule.time_zone} unless an offset is given).`;
      from = start;
      until = end;
    } else {
      const ms = rest[1] ? parseDuration(rest[1]) : undefined;
      if (!ms || ms <= 0) return escapeMrkdwn(`\`${(rest[1] ?? '').slice(0, 30)}\` is not a duration: use e.g. \`30m\`, \`4h\` or \`2d\`, or \`from <ISO time> to <ISO time>\`.`);
      until = new Date(now.getTime() + ms);
    }
    const outcome = await createOverride(deps, { schedule: second, user: person, from, until, by: userId });
    if (outcome.kind === 'unknown_schedule') return unknownSchedule(deps, second);
    if (outcome.kind === 'bad_span') return `That override cannot be made: ${outcome.reason}.`;
    return `Override #${outcome.id}: <@${person}> is on call in \`${second}\` from ${slackDate(outcome.from)} to ${slackDate(outcome.until)}. Cancel it with \`/incident oncall cancel ${outcome.id}\`.`;
  }
  if (!deps.config.schedules[first]) return `${unknownSchedule(deps, first)}\n${USAGE}`;
  const shifts = await shiftsOf(deps, first, now, new Date(now.getTime() + 7 * 86_400_000));
  if (shifts.length === 0) return `Nobody is on call in \`${first}\` in the next seven days.`;
  return [`*\`${first}\`, the next seven days*`, ...shifts.map((shift) => `${slackDate(new Date(shift.from))} → ${slackDate(new Date(shift.until))} <@${shift.user}> (${shift.override !== null ? `override #${shift.override}` : shift.layer})`)].join('\n');
}

async function allSchedulesNow(deps: Deps): Promise<string> {
  const names = Object.keys(deps.config.schedules);
  if (names.length === 0) return NO_SCHEDULES;
  const lines: string[] = [];
  for (const name of names) {
    const shift = await onCallNow(deps, name);
    lines.push(shift ? `\`${name}\`: <@${shift.user}> until ${slackDate(new Date(shift.until))}${shift.override !== null ? ` (override #${shift.override})` : ''}` : `\`${name}\`: ⚠️ nobody is on call`);
  }
  return ['*On call now*', ...lines].join('\n');
}
