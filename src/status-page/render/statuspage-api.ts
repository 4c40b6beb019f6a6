import type { PublicIncidentView, PublicMaintenance } from '../status-snapshot.js';
import type { ComponentStatus } from '../public-statuses.js';
import type { ComponentView, PageModel } from './page-model.js';

/**
 * Atlassian Statuspage's public API (v2) documents, field for field, so status widgets and
 * aggregators that read a Statuspage page read this one.
 */
const iso = (at: Date) => at.toISOString();

function page(model: PageModel) {
  return { id: model.pageId, name: model.title, url: model.url, time_zone: 'Etc/UTC', updated_at: iso(model.snapshot.changedAt) };
}

function component(model: PageModel, view: ComponentView) {
  return {
    id: view.id,
    name: view.name,
    status: view.status,
    created_at: iso(new Date(0)),
    updated_at: iso(view.changedAt),
    position: view.position,
    description: view.description,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: model.pageId,
    group: false,
    only_show_if_degraded: false,
  };
}

function incident(model: PageModel, view: PublicIncidentView) {
  const byName = new Map(model.components.map((entry) => [entry.name, entry]));
  const oldest = [...view.updates].reverse();
  const previous = new Map<string, ComponentStatus>();
  const updates = oldest.map((update) => {
    const affected = update.components.map((state) => {
      const entry: { code: string; name: string; old_status: ComponentStatus; new_status: ComponentStatus } = { code: byName.get(state.name)?.id ?? state.name, name: state.name, old_status: previous.get(state.name) ?? 'operational', new_status: update.status === 'resolved' ? 'operational' : state.status };
      previous.set(state.name, entry.new_status);
      return entry;
    });
    return {
      id: update.id,
      status: update.status,
      body: update.body,
      incident_id: view.id,
      created_at: iso(update.createdAt),
      updated_at: iso(update.createdAt),
      display_at: iso(update.createdAt),
      affected_components: affected.length > 0 ? affected : null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    };
  });
  const monitoring = oldest.find((update) => update.status === 'monitoring');
  return {
    id: view.id,
    name: view.title,
    status: view.status,
    created_at: iso(view.createdAt),
    updated_at: iso(view.updatedAt),
    monitoring_at: monitoring ? iso(monitoring.createdAt) : null,
    resolved_at: view.resolvedAt ? iso(view.resolvedAt) : null,
    impact: view.impact,
    shortlink: `${model.url}/incidents/${view.id}`,
    started_at: iso(view.createdAt),
    page_id: model.pageId,
    incident_updates: updates.reverse(),
    components: view.components.flatMap((state) => {
      const entry = byName.get(state.name);
      return entry ? [component(model, entry)] : [];
    }),
  };
}

function maintenance(model: PageModel, window: PublicMaintenance) {
  return {
    id: window.id,
    name: window.title,
    status: window.status,
    created_at: iso(window.createdAt),
    updated_at: iso(window.updatedAt),
    monitoring_at: null,
    resolved_at: window.status === 'completed' ? iso(window.scheduledUntil) : null,
    impact: 'maintenance',
    shortlink: model.url,
    started_at: iso(window.scheduledFor),
    page_id: model.pageId,
    incident_updates: [{ id: `${window.id}-1`, status: window.status, body: window.body, incident_id: window.id, created_at: iso(window.createdAt), updated_at: iso(window.updatedAt), display_at: iso(window.createdAt), affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null }],
    components: model.components.filter((entry) => window.components.includes(entry.name)).map((entry) => component(model, entry)),
    scheduled_for: iso(window.scheduledFor),
    scheduled_until: iso(window.scheduledUntil),
  };
}

/** Statuspage lists at most 50 incidents in `incidents.json`. */
const INCIDENT_LIMIT = 50;

/** Every `/api/v2/…` document, by its path. */
export function statuspageApi(model: PageModel): Record<string, unknown> {
  const status = { indicator: model.indicator, description: model.description };
  const components = model.components.map((view) => component(model, view));
  const unresolved = model.open.map((view) => incident(model, view));
  const maintenances = model.snapshot.maintenances.map((window) => maintenance(model, window));
  const active = maintenances.filter((window) => window.status !== 'completed');
  return {
    '/api/v2/summary.json': { page: page(model), components, incidents: unresolved, scheduled_maintenances: active, status },
    '/api/v2/status.json': { page: page(model), status },
    '/api/v2/components.json': { page: page(model), components },
    '/api/v2/incidents.json': { page: page(model), incidents: model.snapshot.incidents.slice(0, INCIDENT_LIMIT).map((view) => incident(model, view)) },
    '/api/v2/incidents/unresolved.json': { page: page(model), incidents: unresolved },
    '/api/v2/scheduled-maintenances.json': { page: page(model), scheduled_maintenances: maintenances },
  };
}
