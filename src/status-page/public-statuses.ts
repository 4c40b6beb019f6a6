import { z } from 'zod';
import { UPDATE_STATUSES } from '../comms/update-status.js';

/** The states a published incident can give a component (Statuspage's component statuses, worst last). */
export const OUTAGE_STATES = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
export const outageStateSchema = z.enum(OUTAGE_STATES);
export type OutageState = z.infer<typeof outageStateSchema>;

/** A component's status as the page and the API show it. */
export type ComponentStatus = 'operational' | 'under_maintenance' | OutageState;

/** Statuspage's incident statuses are the stakeholder update's: investigating, identified, monitoring, resolved. */
export const publicStatusSchema = z.enum(UPDATE_STATUSES);
export type PublicStatus = z.infer<typeof publicStatusSchema>;

/** Statuspage's impact and status indicator values. */
export type Indicator = 'none' | 'minor' | 'major' | 'critical';

const RANK: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

/** The worse of two component statuses. */
export function worse(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** The impact a set of component states amounts to (Statuspage: major outage is critical, partial major, degraded minor). */
export function impactOf(states: readonly ComponentStatus[]): Indicator {
  const worst = states.reduce<ComponentStatus>(worse, 'operational');
  return worst === 'major_outage' ? 'critical' : worst === 'partial_outage' ? 'major' : worst === 'degraded_performance' ? 'minor' : 'none';
}

/**
 * The state a component starts from in the publish form: the most severe of the configured
 * severities is a major outage, the next a partial outage, the rest degraded performance.
 */
export function defaultOutageState(severity: string, severities: readonly string[]): OutageState {
  const rank = severities.indexOf(severity);
  return rank === 0 ? 'major_outage' : rank === 1 ? 'partial_outage' : 'degraded_performance';
}

/** How a status reads on the page. */
export function statusLabel(status: ComponentStatus | PublicStatus): string {
  const label = status.replaceAll('_', ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}
