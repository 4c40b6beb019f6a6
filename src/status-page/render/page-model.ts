import { componentSlug, type StatusPageConfig } from '../../config/status-page-config.js';
import { HISTORY_DAYS } from '../load-status-snapshot.js';
import { impactOf, worse, type ComponentStatus, type Indicator } from '../public-statuses.js';
import type { PublicIncidentView, StatusSnapshot } from '../status-snapshot.js';

const DAY_MS = 86_400_000;

/** One day of a component's history bar. */
export interface DayBar {
  /** YYYY-MM-DD, UTC. */
  date: string;
  status: ComponentStatus;
  /** Public titles of the incidents that touched the component that day. */
  incidents: string[];
}

export interface ComponentView {
  id: string;
  name: string;
  description: string | null;
  position: number;
  status: ComponentStatus;
  /** The last time a published incident changed it (the snapshot's change time if none did). */
  changedAt: Date;
  days: DayBar[];
  /** Share of the history window up, in percent: a major outage counts whole, a partial one 30 % (as Statuspage counts). */
  uptime: number;
}

export interface PageModel {
  title: string;
  url: string;
  /** A stable id for the page (from its URL), as Statuspage's `page.id`. */
  pageId: string;
  indicator: Indicator;
  description: string;
  components: ComponentView[];
  open: PublicIncidentView[];
  snapshot: StatusSnapshot;
  now: Date;
}

/** Statuspage's wording of each status indicator. */
export const INDICATOR_DESCRIPTION: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
};

const startOfDay = (at: Date) => Math.floor(at.getTime() / DAY_MS) * DAY_MS;

function pageId(url: string): string {
  let hash = 0x811c9dc5;
  for (const char of url) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(36).padStart(7, '0');
}

function history(name: string, incidents: PublicIncidentView[], now: Date): { days: DayBar[]; uptime: number } {
  const today = startOfDay(now);
  const first = today - (HISTORY_DAYS - 1) * DAY_MS;
  const days: DayBar[] = Array.from({ length: HISTORY_DAYS }, (_, index) => ({ date: new Date(first + index * DAY_MS).toISOString().slice(0, 10), status: 'operational', incidents: [] }));
  let downMs = 0;
  for (const incident of incidents) {
    const state = incident.components.find((component) => component.name === name);
    if (!state) continue;
    const from = Math.max(incident.createdAt.getTime(), first);
    const to = Math.min((incident.resolvedAt ?? now).getTime(), now.getTime());
    if (to < from) continue;
    downMs += (to - from) * (state.status === 'major_outage' ? 1 : state.status === 'partial_outage' ? 0.3 : 0);
    for (let day = startOfDay(new Date(from)); day <= to; day += DAY_MS) {
      const bar = days[(day - first) / DAY_MS];
      if (!bar) continue;
      bar.status = worse(bar.status, state.status);
      bar.incidents.push(incident.title);
    }
  }
  const windowMs = now.getTime() - first;
  return { days, uptime: Math.max(0, 100 * (1 - downMs / windowMs)) };
}

/** What every renderer shows, computed once per change from the snapshot. */
export function pageModel(page: StatusPageConfig, snapshot: StatusSnapshot, now: Date): PageModel {
  const open = snapshot.incidents.filter((incident) => incident.resolvedAt === null);
  const maintained = new Set(snapshot.maintenances.filter((window) => window.status === 'in_progress').flatMap((window) => window.components));
  const components = page.components.map((component, position): ComponentView => {
    const affecting = open.flatMap((incident) => incident.components.filter((state) => state.name === component.name));
    const base: ComponentStatus = maintained.has(component.name) ? 'under_maintenance' : 'operational';
    const touched = snapshot.incidents.filter((incident) => incident.components.some((state) => state.name === component.name)).map((incident) => incident.updatedAt.getTime());
    return {
      id: componentSlug(component.name),
      name: component.name,
      description: component.description ?? null,
      position: position + 1,
      status: affecting.reduce<ComponentStatus>((status, state) => worse(status, state.status), base),
      changedAt: new Date(Math.max(0, ...touched)),
      ...history(component.name, snapshot.incidents, now),
    };
  });
  const indicator = [impactOf(components.map((component) => component.status)), ...open.map((incident) => incident.impact)].reduce<Indicator>((a, b) => (RANK[b] > RANK[a] ? b : a), 'none');
  return { title: page.title, url: page.public_url.replace(/\/+$/, ''), pageId: pageId(page.public_url), indicator, description: INDICATOR_DESCRIPTION[indicator], components, open, snapshot, now };
}

const RANK: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 };
