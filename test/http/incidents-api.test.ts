import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/config-file.js';
import { alertmanagerPayload, dbAlert, type TestAlert } from '../support/alertmanager.js';
import { TEST_PG_URL } from '../support/databases.js';
import { startResponseSink } from '../support/response-url-sink.js';
import { blockActionsPayload, buttonsOf, postInteraction } from '../support/slack-interactions.js';
import { signedHeaders, slashCommandBody } from '../support/slack-signing.js';
import { SHIPPED_CONFIG, SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'api-secret-token';
const L1 = 'UL1ONCALL';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface IncidentJson {
  id: string;
  number: number;
  reference: string;
  title: string;
  status: string;
  openedAt: string;
  channel: { id: string; name: string | null } | null;
  alertCounts: { firing: number; resolved: number };
  [key: string]: unknown;
}
interface ListJson {
  incidents: IncidentJson[];
  nextCursor: string | null;
}
interface ErrorJson {
  error: { code: string; message: string; details: { reason: string; retryable: boolean; parameter?: string } };
}
interface DetailJson extends IncidentJson {
  alerts: { fingerprint: string; name: string; status: string; startsAt: string; endsAt: string | null; labels: Record<string, string> }[];
  timeline: { id: string; type: string; actor: string; source: string; at: string; data: unknown }[];
  escalations: { step: number; level: number; reason: string; notify: unknown; at: string }[];
  actionRuns: Record<string, unknown>[];
}

async function get<T = unknown>(bot: TestBot, pathname: string, token: string | null = TOKEN): Promise<{ status: number; json: T; headers: Headers }> {
  const response = await fetch(`${bot.url}${pathname}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, json: (await response.json()) as T, headers: response.headers };
}

describe('the read-only incident API', () => {
  let bot: TestBot;
  let disabled: TestBot;
  let sink: Awaited<ReturnType<typeof startResponseSink>>;
  /** The five incidents, in the order they were opened (INC numbers ascending). */
  const opened: { id: string; number: number; title: string }[] = [];

  async function openIncident(alerts: TestAlert[], title: string) {
    const response = await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts }));
    expect(response.status).toBe(200);
    const incident = await waitFor(() => bot.db.incident.findFirst({ where: { title, messageTs: { not: null } } }), { what: `incident "${title}"` });
    opened.push({ id: incident.id, number: incident.number, title });
    return incident;
  }

  const simpleAlert = (n: number, status: 'firing' | 'resolved' = 'firing', startsAt = '2026-11-24T03:00:00.000Z'): TestAlert => ({
    status,
    startsAt,
    labels: { alertname: `ApiTest${n}`, service: `api-${n}`, severity: 'warning' },
    annotations: { summary: `API test incident ${n}` },
  });

  beforeAll(async () => {
    const shipped = await loadConfigFile(SHIPPED_CONFIG, {});
    sink = await startResponseSink();
    [bot, disabled] = await Promise.all([
      startTestBot({
        env: { API_TOKEN: TOKEN },
        config: {
          escalation: { default: { levels: [{ level: 'L1', notify: [L1] }] } },
          // The shipped runbook's SELECT 1 runs against the test server.
          targets: { ...shipped.targets, 'app-db': { type: 'postgres', url: TEST_PG_URL } },
        },
      }),
      startTestBot(),
    ]);

    // 1: two database alerts of one group; one of them resolves later.
    const first = await openIncident([dbAlert({ instance: 'api-1:8080', startsAt: '2026-11-24T03:00:00.000Z' }), dbAlert({ instance: 'api-2:8080', startsAt: '2026-11-24T03:01:00.000Z' })], 'API cannot reach its database');
    // 2 … 5: one alert each.
    for (const n of [2, 3, 4, 5]) await openIncident([simpleAlert(n)], `API test incident ${n}`);

    // One alert of incident 1 resolves; the incident stays open.
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [dbAlert({ instance: 'api-1:8080', startsAt: '2026-11-24T03:00:00.000Z' }), { ...dbAlert({ instance: 'api-2:8080', startsAt: '2026-11-24T03:01:00.000Z' }), status: 'resolved' }] }));
    await waitFor(() => bot.db.alert.findFirst({ where: { incidentId: first.id, status: 'resolved' } }), { what: 'api-2 resolved' });

    // A diagnostic of incident 1's runbook, pressed in Slack.
    const buttons = buttonsOf(bot.slack.messagesIn(first.channelId as string).find((message) => message.ts === first.messageTs)?.blocks);
    const select1 = buttons.find((button) => button.action_id === 'run-action:select-1');
    if (!select1) throw new Error('no SELECT 1 button on the incident message');
    await postInteraction(bot.url, SIGNING_SECRET, blockActionsPayload({ userId: L1, channelId: first.channelId as string, messageTs: first.messageTs as string, button: select1, responseUrl: `${sink.url}/actions` }));
    await waitFor(() => bot.db.actionRun.findFirst({ where: { incidentId: first.id, finishedAt: { not: null } } }), { what: 'SELECT 1 finished', timeoutMs: 20_000 });

    // 2 is acknowledged in Slack; 3 resolves with its alert; 4 resolves and fires again (reopened).
    const second = await bot.db.incident.findUniqueOrThrow({ where: { id: opened[1]?.id } });
    const body = slashCommandBody({ text: 'ack', channelId: second.channelId as string, userId: L1, responseUrl: `${sink.url}/ack` });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(SIGNING_SECRET, body), body })).status).toBe(200);
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [simpleAlert(3, 'resolved')] }));
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: second.id } })).status === 'acknowledged', { what: 'incident 2 acknowledged' });
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: opened[2]?.id } })).status === 'resolved', { what: 'incident 3 resolved' });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [simpleAlert(4, 'resolved')] }));
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: opened[3]?.id } })).status === 'resolved', { what: 'incident 4 resolved' });
    await bot.post('/webhooks/alertmanager', alertmanagerPayload({ alerts: [simpleAlert(4, 'firing', '2026-11-24T04:00:00.000Z')] }));
    await waitFor(async () => (await bot.db.incident.findUniqueOrThrow({ where: { id: opened[3]?.id } })).status === 'reopened', { what: 'incident 4 reopened' });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([bot?.stop(), disabled?.stop(), sink?.close()]);
  });

  const newestFirst = () => [...opened].reverse().map((incident) => incident.id);

  describe('authentication', () => {
    it('refuses a request without a token with 401', async () => {
      for (const pathname of ['/api/incidents', `/api/incidents/${opened[0]?.id}`]) {
        const response = await get<ErrorJson>(bot, pathname, null);
        expect(response.status).toBe(401);
        expect(response.json).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Authorization'), details: { reason: 'missing_token', retryable: false } } });
      }
    });

    it('refuses a wrong token with 401', async () => {
      for (const pathname of ['/api/incidents', '/api/incidents/INC-1']) {
        const response = await get<ErrorJson>(bot, pathname, 'not-the-token');
        expect(response.status).toBe(401);
        expect(response.json.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'invalid_token' } });
      }
    });

    it('answers 404 api_disabled when API_TOKEN is unset, token or not', async () => {
      for (const token of [null, TOKEN]) {
        for (const pathname of ['/api/incidents', '/api/incidents/INC-1']) {
          const response = await get<ErrorJson>(disabled, pathname, token);
          expect(response.status).toBe(404);
          expect(response.json.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'api_disabled', retryable: false } });
          expect(response.json.error.message).toContain('set API_TOKEN');
        }
      }
    });
  });

  describe('GET /api/incidents', () => {
    it('lists every incident newest first, with its channel and alert counts', async () => {
      const response = await get<ListJson>(bot, '/api/incidents');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.json.nextCursor).toBeNull();
      expect(response.json.incidents.map((incident) => incident.id)).toEqual(newestFirst());

      const first = response.json.incidents.find((incident) => incident.id === opened[0]?.id);
      const row = await bot.db.incident.findUniqueOrThrow({ where: { id: opened[0]?.id } });
      expect(first).toEqual({
        id: row.id,
        number: row.number,
        reference: `INC-${row.number}`,
        title: 'API cannot reach its database',
        status: 'open',
        severity: 'critical',
        source: 'alertmanager',
        runbookId: 'db-connection-failures',
        level: 1,
        policyName: 'default',
        channel: { id: row.channelId, name: row.channelName },
        openedAt: row.openedAt.toISOString(),
        reopenedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        alertCounts: { firing: 1, resolved: 1 },
      });
      expect(first?.channel?.name).toMatch(/^inc-\d{8}-api-cannot-reach-its-database$/);

      const second = response.json.incidents.find((incident) => incident.id === opened[1]?.id);
      expect(second).toMatchObject({ status: 'acknowledged', acknowledgedBy: L1, acknowledgedAt: expect.stringMatching(ISO), resolvedAt: null, alertCounts: { firing: 1, resolved: 0 } });
      const third = response.json.incidents.find((incident) => incident.id === opened[2]?.id);
      expect(third).toMatchObject({ status: 'resolved', resolvedAt: expect.stringMatching(ISO), alertCounts: { firing: 0, resolved: 1 } });
      const fourth = response.json.incidents.find((incident) => incident.id === opened[3]?.id);
      expect(fourth).toMatchObject({ status: 'reopened', reopenedAt: expect.stringMatching(ISO), resolvedAt: null, alertCounts: { firing: 1, resolved: 1 } });
    });

    it('filters by status, repeated or comma-separated', async () => {
      const ids = async (query: string) => (await get<ListJson>(bot, `/api/incidents?${query}`)).json.incidents.map((incident) => incident.id);
      const [one, two, three, four, five] = opened.map((incident) => incident.id);
      expect(await ids('status=open')).toEqual([five, one]);
      expect(await ids('status=acknowledged')).toEqual([two]);
      expect(await ids('status=resolved')).toEqual([three]);
      expect(await ids('status=reopened')).toEqual([four]);
      expect(await ids('status=acknowledged,resolved')).toEqual([three, two]);
      expect(await ids('status=acknowledged&status=resolved')).toEqual([three, two]);
      expect(await ids('status=open,reopened')).toEqual([five, four, one]);
      expect(await ids('status=open,acknowledged,resolved,reopened')).toEqual(newestFirst());
    });

    it('filters by since: incidents opened at or after it', async () => {
      const list = (await get<ListJson>(bot, '/api/incidents')).json.incidents;
      const third = list.find((incident) => incident.id === opened[2]?.id) as IncidentJson;
      const since = async (value: string, more = '') => (await get<ListJson>(bot, `/api/incidents?since=${encodeURIComponent(value)}${more}`)).json.incidents.map((incident) => incident.id);
      expect(await since(third.openedAt)).toEqual(newestFirst().slice(0, 3));
      expect(await since(third.openedAt, '&status=open,reopened')).toEqual([opened[4]?.id, opened[3]?.id]);
      // The same instant written with an offset.
      const shifted = new Date(new Date(third.openedAt).getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
      expect(await since(shifted)).toEqual(newestFirst().slice(0, 3));
      // Unencoded, `+02:00` arrives as ` 02:00`; read as the offset it was meant to be.
      expect((await get<ListJson>(bot, `/api/incidents?since=${shifted}`)).json.incidents.map((incident) => incident.id)).toEqual(newestFirst().slice(0, 3));
      expect(await since('2000-01-01')).toEqual(newestFirst());
      expect(await since('2999-01-01T00:00:00Z')).toEqual([]);
    });

    it('pages through the incidents with limit and cursor, each exactly once, in order', async () => {
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const response: { status: number; json: ListJson } = await get<ListJson>(bot, `/api/incidents?${query}`);
        expect(response.status).toBe(200);
        pageSizes.push(response.json.incidents.length);
        seen.push(...response.json.incidents.map((incident) => incident.id));
        cursor = response.json.nextCursor;
        if (cursor !== null) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      } while (cursor && ++pages < 10);
      expect(pageSizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(newestFirst());

      // A cursor keeps working with the filters it was taken with.
      const open = await get<ListJson>(bot, '/api/incidents?status=open,reopened&limit=2');
      expect(open.json.incidents.map((incident) => incident.id)).toEqual([opened[4]?.id, opened[3]?.id]);
      const rest = await get<ListJson>(bot, `/api/incidents?status=open,reopened&limit=2&cursor=${open.json.nextCursor}`);
      expect(rest.json).toEqual({ incidents: [expect.objectContaining({ id: opened[0]?.id })], nextCursor: null });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=2&limit=3', 'limit'],
      ['status=closed', 'status'],
      ['status=open,', 'status'],
      ['since=yesterday', 'since'],
      ['since=2026-02-30T00:00:00Z', 'since'],
      ['since=2026-11-24T03:00:00', 'since'],
      ['cursor=not-a-cursor', 'cursor'],
      ['cursor=%21%21', 'cursor'],
      [`cursor=${Buffer.from('2026-11-24T03:00:00.000Z|robert-tables').toString('base64url')}`, 'cursor'],
      ['state=open', 'state'],
    ])('refuses %s with 400 naming %s', async (query, parameter) => {
      const response = await get<ErrorJson>(bot, `/api/incidents?${query}`);
      expect(response.status).toBe(400);
      expect(response.json.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { reason: 'invalid_parameter', retryable: false, parameter } });
      expect(response.json.error.message).toContain(`"${parameter}"`);
    });
  });

  describe('GET /api/incidents/:id', () => {
    it('returns an incident by id with its alerts, timeline, escalations and action runs in order', async () => {
      const id = opened[0]?.id as string;
      const response = await get<DetailJson>(bot, `/api/incidents/${id}`);
      expect(response.status).toBe(200);
      const incident = response.json;
      expect(incident).toMatchObject({ id, reference: `INC-${opened[0]?.number}`, status: 'open', alertCounts: { firing: 1, resolved: 1 } });

      expect(incident.alerts).toEqual([
        {
          source: 'alertmanager',
          fingerprint: expect.any(String),
          name: 'ApiDatabaseUnavailable',
          status: 'firing',
          labels: expect.objectContaining({ instance: 'api-1:8080', service: 'api' }),
          annotations: expect.objectContaining({ summary: 'API cannot reach its database' }),
          startsAt: '2026-11-24T03:00:00.000Z',
          endsAt: null,
          generatorUrl: expect.stringContaining('http://prometheus.example:9090/graph'),
        },
        expect.objectContaining({ name: 'ApiDatabaseUnavailable', status: 'resolved', startsAt: '2026-11-24T03:01:00.000Z', endsAt: expect.stringMatching(ISO), labels: expect.objectContaining({ instance: 'api-2:8080' }) }),
      ]);

      // Every event, in time order, exactly as stored.
      const events = await bot.db.timelineEvent.findMany({ where: { incidentId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      expect(incident.timeline).toEqual(events.map((event) => ({ id: event.id.toString(), type: event.type, actor: event.actor, source: event.source, at: event.at.toISOString(), data: event.data })));
      expect(incident.timeline[0]).toMatchObject({ type: 'incident.opened', actor: 'alertmanager', source: 'alert' });
      const types = incident.timeline.map((event) => event.type);
      for (const type of ['alert.received', 'slack.channel_created', 'escalation.notified', 'action.requested', 'action.succeeded', 'alert.resolved']) expect(types).toContain(type);
      expect(types.indexOf('action.requested')).toBeLessThan(types.indexOf('action.succeeded'));
      const times = incident.timeline.map((event) => event.at);
      expect([...times].sort()).toEqual(times);
      for (const event of incident.timeline) expect(event.id).toMatch(/^\d+$/);

      expect(incident.escalations).toEqual([{ step: 1, level: 1, reason: 'opened', note: null, actor: expect.any(String), notify: [L1], dueAt: null, at: expect.stringMatching(ISO) }]);

      expect(incident.actionRuns).toEqual([
        {
          id: expect.stringMatching(UUID),
          actionId: 'select-1',
          label: 'Database answers SELECT 1',
          kind: 'diagnostic',
          type: 'postgres',
          status: 'succeeded',
          requestedBy: L1,
          attempts: 1,
          summary: expect.any(String),
          figures: expect.anything(),
          durationMs: expect.any(Number),
          requestedAt: expect.stringMatching(ISO),
          finishedAt: expect.stringMatching(ISO),
        },
      ]);
      expect(incident.actionRuns[0]).not.toHaveProperty('output');
    });

    it('returns the same incident by its INC-<number> reference, in either case', async () => {
      const { id, number } = opened[1] as { id: string; number: number };
      const byId = await get<DetailJson>(bot, `/api/incidents/${id}`);
      const byReference = await get<DetailJson>(bot, `/api/incidents/INC-${number}`);
      expect(byReference.status).toBe(200);
      expect(byReference.json).toEqual(byId.json);
      expect(byReference.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: L1 });
      expect(byReference.json.timeline.map((event) => event.type)).toContain('incident.acknowledged');
      expect((await get<DetailJson>(bot, `/api/incidents/inc-${number}`)).json.id).toBe(id);
    });

    it('answers 404 for an incident that does not exist', async () => {
      for (const ref of ['00000000-0000-4000-8000-000000000000', 'INC-999999', 'INC-9999999999']) {
        const response = await get<ErrorJson>(bot, `/api/incidents/${ref}`);
        expect(response.status).toBe(404);
        expect(response.json.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'incident_not_found' } });
      }
    });

    it('answers 400 for a malformed id', async () => {
      for (const ref of ['not-an-id', 'INC-', 'INC-12a', '1234', '%ZZ', "INC-1'%20OR%201=1", '00000000-0000-4000-8000-00000000000g']) {
        const response = await get<ErrorJson>(bot, `/api/incidents/${ref}`);
        expect(response.status).toBe(400);
        expect(response.json.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { reason: 'invalid_parameter', parameter: 'id' } });
      }
    });
  });

  it('never writes the API token to the logs', async () => {
    // The wrong-token requests above were logged as refused; make sure one with the right token was too.
    await get(bot, '/api/incidents?limit=1');
    expect(bot.logs.length).toBeGreaterThan(0);
    expect(bot.logs.join('\n')).toContain('request refused');
    expect(bot.logs.join('\n')).not.toContain(TOKEN);
    // The disabled bot was sent the token too.
    expect(disabled.logs.join('\n')).not.toContain(TOKEN);
  });
});
