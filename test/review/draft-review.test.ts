import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/config-file.js';
import { createDb, type Db } from '../../src/db/client.js';
import type { Deps } from '../../src/deps.js';
import { acknowledgeIncident } from '../../src/escalation/acknowledge-incident.js';
import { lockIncident } from '../../src/record/lock-incident.js';
import { reopenRecent } from '../../src/incidents/reopen-recent.js';
import { resolveLocked } from '../../src/incidents/resolve-incident.js';
import { draftReview } from '../../src/review/draft-review.js';
import { extractHumanSections, HUMAN_SECTIONS } from '../../src/review/human-sections.js';
import { loadReviewFacts, type ReviewFacts } from '../../src/review/review-facts.js';
import { formatOffset, formatSeconds } from '../../src/review/review-format.js';
import { parseRunbook } from '../../src/runbooks/parse-runbook.js';
import { createTestDatabase } from '../support/databases.js';
import { at, POLICY, RUNBOOK_TEXT, scriptIncident } from './scripted-incident.js';

const runbook = parseRunbook('checkout-db.md', RUNBOOK_TEXT);

/** The text of one bullet of the Summary, e.g. line(md, 'Time to detect') → '30 s (…)'. */
function bullet(markdown: string, name: string): string {
  const found = markdown.split('\n').find((line) => line.startsWith(`- **${name}:** `));
  if (found === undefined) throw new Error(`no "${name}" line in the draft`);
  return found.slice(`- **${name}:** `.length);
}

/** The lines of the Timeline table, without its header. */
function timelineRows(markdown: string): string[] {
  const start = markdown.indexOf('## Timeline');
  return markdown
    .slice(start)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Time (UTC)'));
}

function expectNoGarbage(markdown: string): void {
  expect(markdown).not.toMatch(/NaN|undefined|Invalid Date|\[object Object\]|null/);
}

describe('formatting', () => {
  it('says durations in words', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(30)).toBe('30 s');
    expect(formatSeconds(252)).toBe('4 min 12 s');
    expect(formatSeconds(360)).toBe('6 min');
    expect(formatSeconds(3780)).toBe('1 h 3 min');
    expect(formatSeconds(3600 + 59)).toBe('1 h');
    expect(formatSeconds(26 * 3600 + 5 * 60)).toBe('1 d 2 h 5 min');
  });

  it('counts offsets from the start, past 24 hours too', () => {
    expect(formatOffset(at('03:00:00'), at('03:05:12'))).toBe('+00:05:12');
    expect(formatOffset(at('03:00:00'), at('03:00:00', '2026-11-25'))).toBe('+24:00:00');
    // Whole seconds as the clock shows them: 03:00:00.900 → 03:00:01.100 is one second on the clock.
    expect(formatOffset(new Date('2026-11-24T03:00:00.900Z'), new Date('2026-11-24T03:00:01.100Z'))).toBe('+00:00:01');
  });

  it('reads the sections back from a file whose line ends became CRLF, and only whole marker lines', () => {
    const markdown = ['# x', '<!-- review:root-cause -->', 'line one', '', 'line two  ', '<!-- /review:root-cause -->', '<!-- review:went-well -->', '<!-- /review:went-well -->', 'text <!-- review:impact --> inline'].join('\r\n');
    expect(extractHumanSections(markdown)).toEqual({ 'root-cause': 'line one\r\n\r\nline two  ', 'went-well': '' });
  });
});

describe('the post-incident review draft', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  async function factsOf(id: string): Promise<ReviewFacts> {
    const facts = await loadReviewFacts(db, id);
    if (!facts) throw new Error(`no incident ${id}`);
    return facts;
  }

  it('computes the figures and the timeline of a scripted incident exactly', async () => {
    const scripted = await scriptIncident(db);
    const facts = await factsOf(scripted.id);
    // The action runs' output (10 kB here, up to 256 kB) is not read.
    expect(facts.actionRuns[0]).not.toHaveProperty('output');
    const markdown = draftReview(facts, runbook);
    expectNoGarbage(markdown);

    expect(markdown.startsWith(`# INC-${scripted.number}: Checkout is failing payments\n`)).toBe(true);
    expect(bullet(markdown, 'Severity')).toBe('critical');
    expect(bullet(markdown, 'Status')).toBe('resolved at 03:42:10 by <@U1> — Pool raised to 200; errors back to baseline');
    expect(bullet(markdown, 'Services')).toBe('checkout, payments');
    expect(bullet(markdown, 'Impact window')).toBe('42 min 10 s (03:00:00 → 03:42:10, first alert start to resolution)');
    expect(bullet(markdown, 'Time to detect')).toBe('30 s (first alert started 03:00:00, incident opened 03:00:30)');
    expect(bullet(markdown, 'Time to acknowledge')).toBe('6 min 30 s (<@U1> at 03:07:00, at L2)');
    expect(bullet(markdown, 'Time to resolve')).toBe('41 min 40 s (opened 03:00:30, resolved 03:42:10)');
    expect(bullet(markdown, 'Escalation')).toBe('reached L2: L1 at 03:00:30, L2 at 03:05:30');
    expect(bullet(markdown, 'Actions')).toBe('2 runs: 1 succeeded, 1 failed');
    expect(bullet(markdown, 'Notes')).toBe('2 notes, 1 pinned message');
    expect(bullet(markdown, 'Timeline')).toBe('21 events');
    expect(markdown).not.toContain('**Reopened:**');

    // Alerts with their links (an address with spaces and parentheses stays one link).
    expect(markdown).toContain(
      '| CheckoutErrors | checkout | 03:00:00 | 03:41:50 | Checkout 5xx above 5 % | [Prometheus graph](<http://prometheus:9090/graph?g0.expr=rate(http_errors_total{service="checkout"}[5m])%20%3E%200.05>) |',
    );
    expect(markdown).toContain('| PaymentsLatency | payments | 03:00:10 | 03:41:55 | p99 above 2 s | [Prometheus graph](<http://prometheus:9090/graph?g0.expr=histogram_quantile(0.99,%20payments_seconds_bucket)%20%3E%202>) |');
    // Escalation levels and when.
    expect(markdown).toContain('| 1 | L1 | 03:00:30 | +00:00:30 | incident opened | <@U1> |');
    expect(markdown).toContain('| 2 | L2 | 03:05:30 | +00:05:30 | not acknowledged in time | <@U2>, group S0614TZR7 |');
    // Every action run, who ran it and its outcome.
    expect(markdown).toContain('| 03:07:40 | +00:07:40 | Check DB connections (`check-db-connections`) | diagnostic | <@U1> | succeeded: 98 of 100 connections in use | 03:08:00 | 850 ms |');
    expect(markdown).toContain('| 03:15:00 | +00:15:00 | Restart checkout (`restart-checkout`) | mitigation | <@U2> | failed: HTTP 503 from the deploy API | 03:15:30 | 30.0 s |');
    // Notes and the pinned message, with author and permalink; a multi-line note stays quoted.
    expect(markdown).toContain('**03:12:00** (+00:12:00) · note by <@U1>\n\n> Connections pile up on checkout-db-1');
    expect(markdown).toContain('**03:20:00** (+00:20:00) · note by <@U2>\n\n> Deploy API is down too.\n> Raising the pool size by hand | via psql');
    expect(markdown).toContain(
      '**03:25:00** (+00:25:00) · message by <@U3>, pinned by <@U1> · [permalink](<https://example.slack.com/archives/C1/p1764039900000100>)\n\n> Found it: the pool is capped at 100 and every connection is busy',
    );

    // The full timeline, in time order (the pinned note was written first), with offsets from 03:00:00.
    expect(timelineRows(markdown)).toEqual([
      '| 03:00:30 | +00:00:30 | incident opened, severity critical, runbook `checkout-db`, policy `default` | alertmanager |',
      '| 03:00:30 | +00:00:30 | L1 notified (incident opened): <@U1> | bot |',
      '| 03:00:30 | +00:00:30 | alert firing: CheckoutErrors — Checkout 5xx above 5 % | alertmanager |',
      '| 03:00:30 | +00:00:30 | alert firing: PaymentsLatency — p99 above 2 s | alertmanager |',
      '| 03:00:31 | +00:00:31 | channel #inc-checkout-is-failing-payments created | bot |',
      '| 03:00:32 | +00:00:32 | incident message posted | bot |',
      '| 03:00:32 | +00:00:32 | runbook `checkout-db` posted | bot |',
      '| 03:05:30 | +00:05:30 | L2 notified (not acknowledged in time): <@U2>, group S0614TZR7 | bot |',
      '| 03:07:00 | +00:07:00 | acknowledged at L2 | <@U1> |',
      '| 03:07:40 | +00:07:40 | action requested: Check DB connections (diagnostic) | <@U1> |',
      '| 03:07:41 | +00:07:41 | action started: Check DB connections | worker |',
      '| 03:08:00 | +00:08:00 | action succeeded: Check DB connections — 98 of 100 connections in use | worker |',
      '| 03:12:00 | +00:12:00 | note by <@U1>: Connections pile up on checkout-db-1 | <@U1> |',
      '| 03:15:00 | +00:15:00 | action requested: Restart checkout (mitigation) | <@U2> |',
      '| 03:15:01 | +00:15:01 | action started: Restart checkout | worker |',
      '| 03:15:30 | +00:15:30 | action failed: Restart checkout — HTTP 503 from the deploy API | worker |',
      '| 03:20:00 | +00:20:00 | note by <@U2>: Deploy API is down too. Raising the pool size by hand \\| via psql | <@U2> |',
      '| 03:25:00 | +00:25:00 | message by <@U3> pinned: Found it: the pool is capped at 100 and every connection is busy | <@U1> |',
      '| 03:41:55 | +00:41:55 | alert resolved: CheckoutErrors | alertmanager |',
      '| 03:41:55 | +00:41:55 | alert resolved: PaymentsLatency | alertmanager |',
      '| 03:42:10 | +00:42:10 | incident resolved: Pool raised to 200; errors back to baseline | <@U1> |',
    ]);

    // The sections for people, each between its markers, in order.
    const sections = extractHumanSections(markdown);
    expect(Object.keys(sections)).toEqual(HUMAN_SECTIONS.map((section) => section.key));
    expect(sections['action-items']).toBe('| Owner | Deadline | Item |\n|---|---|---|\n|  |  |  |');
    for (const title of ['Root cause', 'What went well', 'What went poorly', 'Action items', 'Tests and alerts to add']) expect(markdown).toContain(`\n## ${title}\n`);
    // Pure: the same facts draft the same text.
    expect(draftReview(facts, runbook)).toBe(markdown);
  });

  it('says plainly what it cannot know of an incident declared by hand, with no alerts', async () => {
    const groupKey = `manual:${randomUUID()}`;
    const incident = await db.incident.create({
      data: { title: 'Refunds are double-charged', status: 'resolved', severity: 'major', source: 'manual', groupKey, runbookId: 'default', openedAt: at('10:00:00'), resolvedAt: at('10:25:00') },
    });
    await db.timelineEvent.createMany({
      data: [
        { incidentId: incident.id, type: 'incident.opened', actor: 'UDECLARER', source: 'slack', at: at('10:00:00'), data: { title: incident.title, severity: 'major', runbookId: 'default', policy: null, declaredBy: 'UDECLARER' } },
        { incidentId: incident.id, type: 'incident.resolved', actor: 'UDECLARER', source: 'slack', at: at('10:25:00'), data: { summary: null } },
      ],
    });
    const markdown = draftReview(await factsOf(incident.id), undefined);
    expectNoGarbage(markdown);
    expect(bullet(markdown, 'Impact window')).toBe('unknown: declared by hand by <@UDECLARER>, so no start is on record (from opening to resolution: 25 min, 10:00:00 → 10:25:00)');
    expect(bullet(markdown, 'Time to detect')).toBe('unknown: declared by hand by <@UDECLARER>');
    expect(bullet(markdown, 'Time to acknowledge')).toBe('not acknowledged (resolved without an acknowledgement)');
    expect(bullet(markdown, 'Time to resolve')).toBe('25 min (opened 10:00:00, resolved 10:25:00)');
    expect(bullet(markdown, 'Services')).toBe('unknown (no alerts)');
    expect(bullet(markdown, 'Alerts')).toBe('none: declared by hand');
    expect(bullet(markdown, 'Escalation')).toBe('no escalation policy');
    expect(bullet(markdown, 'Actions')).toBe('none run');
    expect(bullet(markdown, 'Notes')).toBe('none');
    expect(markdown).toContain('offsets count from 2026-11-24 10:00:00 UTC, when the incident opened');
    expect(markdown).toContain('_No alerts: the incident was declared by hand._');
    expect(timelineRows(markdown)).toEqual([
      '| 10:00:00 | +00:00:00 | incident declared by hand by <@UDECLARER>, severity major, runbook `default` | <@UDECLARER> |',
      '| 10:25:00 | +00:25:00 | incident resolved | <@UDECLARER> |',
    ]);
    // No runbook: the section for tests and alerts starts empty.
    expect(extractHumanSections(markdown)['tests-and-alerts']).toMatch(/^_To fill in/);
  });

  it('drafts an incident that is still open', async () => {
    const groupKey = `alertmanager:${randomUUID()}`;
    const incident = await db.incident.create({
      data: { title: 'Queue backlog', severity: 'minor', source: 'alertmanager', groupKey, activeGroupKey: groupKey, policy: POLICY, policyName: 'default', level: 1, openedAt: at('05:00:20') },
    });
    await db.alert.create({
      data: { source: 'alertmanager', fingerprint: 'bbbb', status: 'firing', recordedStatus: 'firing', name: 'QueueBacklog', labels: { alertname: 'QueueBacklog', service: 'jobs' }, annotations: {}, startsAt: at('05:00:00'), groupKey, incidentId: incident.id, lastDeliveryId: randomUUID() },
    });
    await db.escalation.create({ data: { incidentId: incident.id, step: 1, level: 1, reason: 'opened', actor: 'bot', notify: ['U1'], dueAt: at('05:05:20'), at: at('05:00:20') } });
    await db.timelineEvent.createMany({
      data: [
        { incidentId: incident.id, type: 'incident.opened', actor: 'alertmanager', source: 'alert', at: at('05:00:20'), data: { title: 'Queue backlog', severity: 'minor', runbookId: null, policy: 'default', deliveryId: randomUUID() } },
        { incidentId: incident.id, type: 'escalation.notified', actor: 'bot', source: 'escalation', at: at('05:00:20'), data: { step: 1, level: 'L1', reason: 'opened', notify: ['U1'], note: null, nextDueAt: null } },
      ],
    });
    let markdown = draftReview(await factsOf(incident.id), undefined);
    expectNoGarbage(markdown);
    expect(bullet(markdown, 'Status')).toBe('still open, not acknowledged');
    expect(bullet(markdown, 'Impact window')).toBe('from 05:00:00, still open (first alert start to resolution)');
    expect(bullet(markdown, 'Time to detect')).toBe('20 s (first alert started 05:00:00, incident opened 05:00:20)');
    expect(bullet(markdown, 'Time to acknowledge')).toBe('not acknowledged');
    expect(bullet(markdown, 'Time to resolve')).toBe('still open (opened 05:00:20)');
    expect(bullet(markdown, 'Runbook')).toBe('none');
    expect(markdown).toContain('| QueueBacklog | jobs | 05:00:00 | still firing | — | — |');

    // Acknowledged, still open.
    await db.incident.update({ where: { id: incident.id }, data: { status: 'acknowledged', acknowledgedAt: at('05:09:00'), acknowledgedBy: 'U1' } });
    await db.timelineEvent.create({ data: { incidentId: incident.id, type: 'incident.acknowledged', actor: 'U1', source: 'slack', at: at('05:09:00'), data: { level: 1, secondsToAck: 520 } } });
    markdown = draftReview(await factsOf(incident.id), undefined);
    expect(bullet(markdown, 'Status')).toBe('acknowledged, still open');
    expect(bullet(markdown, 'Time to acknowledge')).toBe('8 min 40 s (<@U1> at 05:09:00, at L1)');
    expect(bullet(markdown, 'Time to resolve')).toBe('still open (opened 05:00:20)');
  });

  it('keeps the people-written sections verbatim when drafted again after a reopen, while the figures change', async () => {
    const scripted = await scriptIncident(db);
    const first = draftReview(await factsOf(scripted.id), runbook);

    // People fill in the draft: Markdown of every kind, blank lines, trailing spaces, a code block.
    const written: Record<string, string> = {
      impact: 'About 1,200 checkouts failed; **no** double charges.',
      'root-cause': 'The pool was capped at 100 while the new worker fleet held 150 connections.\n\n```sql\nSHOW max_connections;\n```\n\nTrailing spaces stay:  ',
      'went-well': '- The L2 page reached <@U2> in time\n- The diagnostic pinpointed the pool',
      'went-poorly': '- The deploy API was down too (restart failed)',
      'action-items': '| Owner | Deadline | Item |\n|---|---|---|\n| <@U1> | 2026-12-01 | Alert on connection headroom |\n| <@U2> | 2026-12-08 | Make the deploy API independent of checkout-db |',
      'tests-and-alerts': '- [x] Alert on connection headroom above 80 %\n- [ ] Load test with production pool sizes',
    };
    let edited = first;
    for (const [key, text] of Object.entries(written)) {
      const open = `<!-- review:${key} -->\n`;
      const close = `\n<!-- /review:${key} -->`;
      const from = edited.indexOf(open) + open.length;
      edited = edited.slice(0, from) + text + edited.slice(edited.indexOf(close, from));
    }
    // An edit outside the markers is computed text: it is rewritten.
    edited = edited.replace('- **Time to resolve:** 41 min 40 s', '- **Time to resolve:** about 40 min');
    expect(extractHumanSections(edited)).toEqual(written);

    // It fires again at 04:10:00 (reopened through the real use case), U2 acknowledges, U2 resolves at 04:20:00.
    const config = { incidents: { reopen_window: 3_600_000 }, responders: [], roles: {} } as unknown as BotConfig;
    const clockAt = (date: Date) => ({ now: () => date });
    await db.$transaction((tx) => reopenRecent(tx, scripted.groupKey, { config, clock: clockAt(at('04:10:00')) }, at('04:10:00')));
    const ackDeps = {
      db,
      config,
      clock: clockAt(at('04:12:00')),
      metrics: { timeToAcknowledge: { observe: () => undefined } },
      queues: { syncIncident: async () => undefined },
      log: pino({ level: 'silent' }),
    } as unknown as Pick<Deps, 'db' | 'config' | 'clock' | 'metrics' | 'queues' | 'log'>;
    expect(await acknowledgeIncident(ackDeps, scripted.id, 'U2', 'slack')).toMatchObject({ kind: 'acknowledged' });
    await db.$transaction(async (tx) => {
      const incident = await lockIncident(tx, scripted.id);
      if (!incident) throw new Error('gone');
      await resolveLocked(tx, incident, { actor: 'U2', source: 'slack', summary: 'Workers capped at 80 connections' }, at('04:20:00'), { channels: {}, reviews: { due_after: 172_800_000, remind_before: 86_400_000, overdue_every: 86_400_000, overdue_reminders: 3 } });
    });

    const facts = await factsOf(scripted.id);
    const second = draftReview(facts, runbook, { humanSections: extractHumanSections(edited) });
    expectNoGarbage(second);
    // Kept verbatim, every one of them, and read back identically.
    for (const [key, text] of Object.entries(written)) expect(second).toContain(`<!-- review:${key} -->\n${text}\n<!-- /review:${key} -->`);
    expect(extractHumanSections(second)).toEqual(written);
    // The runbook's Prevention section is not seeded again over what people wrote.
    expect(second).not.toContain('_From the Prevention section');

    // The computed parts follow the record.
    expect(bullet(first, 'Time to resolve')).toBe('41 min 40 s (opened 03:00:30, resolved 03:42:10)');
    expect(bullet(second, 'Time to resolve')).toBe('1 h 19 min (opened 03:00:30, resolved 04:20:00)');
    expect(bullet(first, 'Impact window')).toBe('42 min 10 s (03:00:00 → 03:42:10, first alert start to resolution)');
    expect(bullet(second, 'Impact window')).toBe('1 h 20 min (03:00:00 → 04:20:00, first alert start to resolution)');
    expect(bullet(second, 'Status')).toBe('resolved at 04:20:00 by <@U2> — Workers capped at 80 connections');
    expect(bullet(second, 'Reopened')).toBe('1 time: resolved 03:42:10, reopened 04:10:00, resolved again 04:20:00');
    expect(bullet(second, 'Time to acknowledge')).toBe('6 min 30 s (<@U1> at 03:07:00, at L2); again after reopening: <@U2> at 04:12:00');
    expect(bullet(second, 'Time to detect')).toBe('30 s (first alert started 03:00:00, incident opened 03:00:30)');
    expect(second).toContain('| 3 | L1 | 04:10:00 | +01:10:00 | incident reopened | <@U1> |');
    expect(timelineRows(second).slice(-4)).toEqual([
      '| 04:10:00 | +01:10:00 | incident reopened: its alerts fired again | alertmanager |',
      '| 04:10:00 | +01:10:00 | L1 notified (incident reopened): <@U1> | bot |',
      '| 04:12:00 | +01:12:00 | acknowledged at L1 | <@U2> |',
      '| 04:20:00 | +01:20:00 | incident resolved: Workers capped at 80 connections | <@U2> |',
    ]);

    // Apart from the people's sections, the re-draft is exactly a fresh draft of the new record.
    const fresh = draftReview(facts, runbook);
    expect(draftReview(facts, runbook, { humanSections: extractHumanSections(fresh) })).toBe(fresh);
    const strip = (markdown: string) => markdown.replace(/^(<!-- review:([a-z-]+) -->\n)[\s\S]*?\n(<!-- \/review:\2 -->)$/gm, '$1$3');
    expect(strip(second)).toBe(strip(fresh));
  });

  it('seeds "Tests and alerts to add" with the runbook\'s Prevention section', async () => {
    const scripted = await scriptIncident(db);
    const facts = await factsOf(scripted.id);
    const seeded = extractHumanSections(draftReview(facts, runbook))['tests-and-alerts'];
    expect(seeded).toBe(
      '_From the Prevention section of the runbook `checkout-db`: keep what applies, add what would have caught this sooner._\n\n' +
        '- Alert on connection headroom above 80 % of `max_connections`.\n' +
        '- Load-test checkout with the pool size used in production.',
    );
    // A runbook without a Prevention section, or none at all: an empty section to fill in.
    const bare = parseRunbook('bare.md', RUNBOOK_TEXT.replace(/## Prevention[\s\S]*$/, ''));
    expect(extractHumanSections(draftReview(facts, bare))['tests-and-alerts']).toMatch(/^_To fill in: the tests and alerts/);
    expect(extractHumanSections(draftReview(facts, undefined))['tests-and-alerts']).toMatch(/^_To fill in: the tests and alerts/);
    // Only the people's sections of an earlier draft are kept; one they left out is seeded again.
    const partial = draftReview(facts, runbook, { humanSections: { 'root-cause': 'Pool cap.' } });
    expect(extractHumanSections(partial)).toMatchObject({ 'root-cause': 'Pool cap.', 'tests-and-alerts': seeded });
  });

  it('finds no facts for an unknown incident', async () => {
    expect(await loadReviewFacts(db, randomUUID())).toBeUndefined();
  });
});
