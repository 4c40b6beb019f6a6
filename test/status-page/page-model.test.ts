import { describe, expect, it } from 'vitest';
import { pageModel } from '../../src/status-page/render/page-model.js';
import type { PublicIncidentView } from '../../src/status-page/status-snapshot.js';

const page = { title: 'Acme status', public_url: 'https://status.example.com/', port: 0, components: [{ name: 'API', services: ['api'] }, { name: 'Website', services: ['web'] }] };
const now = new Date('2026-12-06T12:00:00Z');
const incident = (over: Partial<PublicIncidentView>): PublicIncidentView => ({ id: 'a', title: 'Slow API', status: 'resolved', impact: 'critical', createdAt: new Date('2026-12-03T10:00:00Z'), updatedAt: new Date('2026-12-03T16:00:00Z'), resolvedAt: new Date('2026-12-03T16:00:00Z'), components: [{ name: 'API', status: 'major_outage' }], updates: [], ...over });

describe('page model', () => {
  it('colours the day bars an incident touched and counts the outage against uptime', () => {
    const model = pageModel(page, { incidents: [incident({})], maintenances: [], changedAt: now }, now);
    const api = model.components[0];
    expect(api?.days).toHaveLength(90);
    expect(api?.days.at(-1)?.date).toBe('2026-12-06');
    expect(api?.days.at(-4)).toEqual({ date: '2026-12-03', status: 'major_outage', incidents: ['Slow API'] });
    expect(api?.days.filter((day) => day.status !== 'operational')).toHaveLength(1);
    expect(api?.status).toBe('operational');
    // 6 h of major outage in 89.5 days.
    expect(api?.uptime).toBeCloseTo(100 * (1 - 6 / (89.5 * 24)), 5);
    expect(model.components[1]?.uptime).toBe(100);
    expect(model.indicator).toBe('none');
    expect(model.url).toBe('https://status.example.com');
  });

  it('takes the worst state of the open incidents for a component and the page', () => {
    const open = [incident({ id: 'b', status: 'identified', impact: 'minor', resolvedAt: null, createdAt: new Date('2026-12-06T09:00:00Z'), components: [{ name: 'API', status: 'degraded_performance' }] }), incident({ id: 'c', status: 'investigating', impact: 'major', resolvedAt: null, createdAt: new Date('2026-12-06T10:00:00Z'), components: [{ name: 'API', status: 'partial_outage' }] })];
    const model = pageModel(page, { incidents: open, maintenances: [], changedAt: now }, now);
    expect(model.components.map((component) => component.status)).toEqual(['partial_outage', 'operational']);
    expect({ indicator: model.indicator, description: model.description }).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(model.components[0]?.days.at(-1)?.status).toBe('partial_outage');
  });
});
