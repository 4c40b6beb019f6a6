import { describe, expect, it } from 'vitest';
import type { ChannelPost } from '../../src/db/client.js';
import { parseChannelPost } from '../../src/record/channel-post.js';
import { policyOf, policySnapshot } from '../../src/record/policy.js';

const row = (kind: string, data: ChannelPost['data']): ChannelPost => ({
  id: 7n,
  incidentId: '5f0c7a52-4a6f-4a3c-9d7a-1b2c3d4e5f60',
  kind,
  data,
  createdAt: new Date('2026-11-28T10:00:00Z'),
  postedAt: null,
  attemptedAt: null,
  ts: null,
});

describe('a stored channel post', () => {
  it('is read back with its data typed by kind', () => {
    const post = parseChannelPost(row('escalation', { step: 3 }));
    expect(post.kind).toBe('escalation');
    if (post.kind === 'escalation') expect(post.data.step).toBe(3);
    const alerts = parseChannelPost(row('alerts_changed', { firing: [{ fingerprint: 'f1', name: 'HighLatency', summary: null, labels: { service: 'api' }, generatorUrl: null }], resolved: [] }));
    expect(alerts.kind === 'alerts_changed' && alerts.data.firing[0]?.labels.service).toBe('api');
  });

  it('reads rows written before the record layer (a resolution without a summary, a runbook without a requester)', () => {
    expect(parseChannelPost(row('resolved', { by: 'U123' })).data).toEqual({ by: 'U123' });
    expect(parseChannelPost(row('runbook', { runbookId: 'db-down' })).data).toEqual({ runbookId: 'db-down' });
    expect(parseChannelPost(row('reopened', {})).kind).toBe('reopened');
  });

  it('of an unknown kind is refused with a clear error', () => {
    expect(() => parseChannelPost(row('carrier_pigeon', {}))).toThrow(/channel post \(kind "carrier_pigeon"\) 7 has an unreadable stored shape/);
  });

  it('of a known kind with malformed data is refused, naming the field', () => {
    expect(() => parseChannelPost(row('escalation', { step: 'three' }))).toThrow(/unreadable stored shape[\s\S]*step/);
    expect(() => parseChannelPost(row('followup_added', { by: 'U1', dueOn: '2026-12-01' }))).toThrow(/owner|text/);
    expect(() => parseChannelPost(row('alerts_changed', [1, 2]))).toThrow(/unreadable stored shape/);
  });
});

describe("an incident's stored policy snapshot", () => {
  const incident = (policy: ChannelPost['data'] | null) => ({ id: 'inc-1', policy });
  // What Postgres hands back: the JSON text parsed again.
  const stored = (value: unknown): ChannelPost['data'] => JSON.parse(JSON.stringify(value)) as ChannelPost['data'];
  const snapshot = { ack_by: 'policy', levels: [{ level: 'L1', notify: ['U1'], ack_timeout: 300_000, direct_message: false }, { level: 'L2', notify: ['U2'], direct_message: true }], repeat_every: 600_000 };

  it('is parsed into the policy it was written from', () => {
    const policy = policyOf(incident(snapshot));
    expect(policy?.levels.map((level) => level.notify)).toEqual([['U1'], ['U2']]);
    expect(policy?.levels[0]?.ack_timeout).toBe(300_000);
    expect(policy?.repeat_every).toBe(600_000);
  });

  it('round-trips through the snapshot written when an incident opens', () => {
    const policy = policyOf(incident(snapshot));
    expect(policy && policyOf(incident(stored(policySnapshot(policy))))).toEqual(policy);
  });

  it('is null when the incident opened without a policy', () => {
    expect(policyOf(incident(null))).toBeNull();
  });

  it('of a malformed shape is refused with a clear error naming the incident', () => {
    expect(() => policyOf(incident({ levels: [] }))).toThrow(/policy snapshot of incident inc-1 has an unreadable stored shape/);
    expect(() => policyOf(incident({ levels: [{ level: 'L1', notify: ['U1'], ack_timeout: '5m' }] }))).toThrow(/ack_timeout/);
    expect(() => policyOf(incident('L1'))).toThrow(/unreadable stored shape/);
  });
});
