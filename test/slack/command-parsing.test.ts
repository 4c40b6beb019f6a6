import { describe, expect, it } from 'vitest';
import { parseIncidentCommand, parseOwner } from '../../src/slack/commands/parse-incident-command.js';
import { plainText } from '../../src/slack/commands/plain-text.js';
import { parseDueDate } from '../../src/review/parse-due-date.js';

const NOW = new Date('2026-11-24T22:30:00.000Z');

describe('/incident review and followup, as Slack sends them (should_escape: true)', () => {
  it('reads the review subcommands', () => {
    expect(parseIncidentCommand('review')).toEqual({ name: 'review' });
    expect(parseIncidentCommand('Review DONE')).toEqual({ name: 'review_done' });
    expect(parseIncidentCommand('review owner <@U02BOB|bob>')).toEqual({ name: 'review_owner', owner: '<@U02BOB|bob>' });
    expect(parseIncidentCommand('review publish')).toEqual({ name: 'help', unknown: 'review publish' });
  });

  it('reads a follow-up: owner token, due, and the rest as readable text', () => {
    expect(parseIncidentCommand('followup <@U02BOB|bob> 2w Alert on pool headroom &gt; 80% &amp; page <!subteam^S0DBA|@dba>')).toEqual({
      name: 'followup',
      owner: '<@U02BOB|bob>',
      due: '2w',
      text: 'Alert on pool headroom > 80% & page @dba',
    });
    expect(parseIncidentCommand('followup <@U02BOB|bob> 2w')).toMatchObject({ name: 'help' });
  });

  it('names people and groups by their IDs, and `me` as the person typing', () => {
    expect(parseOwner('<@U02BOB|bob>', 'U01ME')).toBe('U02BOB');
    expect(parseOwner('<@W02BOB>', 'U01ME')).toBe('W02BOB');
    expect(parseOwner('<!subteam^S0DBA|@dba>', 'U01ME')).toBe('S0DBA');
    expect(parseOwner('me', 'U01ME')).toBe('U01ME');
    expect(parseOwner('U02BOB1234', 'U01ME')).toBe('U02BOB1234');
    expect(parseOwner('SRE', 'U01ME')).toBeUndefined();
    expect(parseOwner('UNKNOWN', 'U01ME')).toBeUndefined();
    // Plain text names nobody: the bot cannot tell which "bob" is meant.
    expect(parseOwner('@bob', 'U01ME')).toBeUndefined();
    expect(parseOwner('bob', 'U01ME')).toBeUndefined();
  });

  it('reads deadlines as UTC dates, refusing past and impossible ones', () => {
    const day = (text: string) => parseDueDate(text, NOW)?.toISOString().slice(0, 10);
    expect(day('today')).toBe('2026-11-24');
    expect(day('tomorrow')).toBe('2026-11-25');
    expect(day('3d')).toBe('2026-11-27');
    expect(day('2w')).toBe('2026-12-08');
    expect(day('2026-12-01')).toBe('2026-12-01');
    // West of Greenwich it may still be the 23rd; before that is past everywhere.
    expect(day('2026-11-23')).toBe('2026-11-23');
    expect(day('2026-11-22')).toBeUndefined();
    expect(day('2027-02-30')).toBeUndefined();
    expect(day('next week')).toBeUndefined();
  });

  it('keeps notes and titles readable', () => {
    expect(plainText('ask <@U02BOB|bob> in <#C0OPS|ops>, see <https://grafana.example/d/x|the dashboard> and <https://status.example>')).toBe(
      'ask @bob in #ops, see the dashboard (https://grafana.example/d/x) and https://status.example',
    );
    expect(parseIncidentCommand('note pool at 100% &lt;- here')).toEqual({ name: 'note', text: 'pool at 100% <- here' });
  });
});

describe('/incident update, subscribe, unsubscribe, role and roles', () => {
  it('reads an update with or without an incident reference, and without text as the modal', () => {
    expect(parseIncidentCommand('update The replica took over &amp; is serving')).toEqual({ name: 'update', text: 'The replica took over & is serving' });
    expect(parseIncidentCommand('update inc-42 Back to normal')).toEqual({ name: 'update', number: 42, text: 'Back to normal' });
    expect(parseIncidentCommand('update')).toEqual({ name: 'update' });
    expect(parseIncidentCommand('update INC-7')).toEqual({ name: 'update', number: 7 });
  });

  it('reads subscriptions from anywhere, and refuses anything but a reference', () => {
    expect(parseIncidentCommand('subscribe')).toEqual({ name: 'subscribe' });
    expect(parseIncidentCommand('subscribe INC-12')).toEqual({ name: 'subscribe', number: 12 });
    expect(parseIncidentCommand('unsubscribe INC-12')).toEqual({ name: 'unsubscribe', number: 12 });
    expect(parseIncidentCommand('subscribe everything')).toMatchObject({ name: 'help', unknown: 'subscribe everything' });
  });

  it('reads a role with its person, and roles', () => {
    expect(parseIncidentCommand('role Commander <@U02BOB|bob>')).toEqual({ name: 'role', role: 'commander', who: '<@U02BOB|bob>' });
    expect(parseIncidentCommand('role comms me')).toEqual({ name: 'role', role: 'comms', who: 'me' });
    expect(parseIncidentCommand('role comms')).toMatchObject({ name: 'help' });
    expect(parseIncidentCommand('roles')).toEqual({ name: 'roles' });
  });
});
