import { z } from 'zod';
import type { Indicator, OutageState, PublicStatus } from './public-statuses.js';

/** A component a published incident or update names, with the state it declared. */
export const componentStateSchema = z.object({ name: z.string(), status: z.enum(['degraded_performance', 'partial_outage', 'major_outage']) });
export const componentStatesSchema = z.array(componentStateSchema);
export type ComponentState = { name: string; status: OutageState };

export interface PublicUpdateView {
  id: string;
  status: PublicStatus;
  body: string;
  components: ComponentState[];
  createdAt: Date;
}

/** A published incident: its public title, status and updates (newest first), nothing internal. */
export interface PublicIncidentView {
  id: string;
  title: string;
  status: PublicStatus;
  impact: Indicator;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  components: ComponentState[];
  updates: PublicUpdateView[];
}

/** Scheduled maintenance shown on the page (Statuspage's scheduled maintenance statuses). */
export interface PublicMaintenance {
  id: string;
  title: string;
  body: string;
  status: 'scheduled' | 'in_progress' | 'verifying' | 'completed';
  scheduledFor: Date;
  scheduledUntil: Date;
  /** Names of the configured components it puts under maintenance while in progress. */
  components: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Everything the page, the feed and the API are rendered from. */
export interface StatusSnapshot {
  /** Published incidents not hidden, open or resolved within the history window, newest first. */
  incidents: PublicIncidentView[];
  maintenances: PublicMaintenance[];
  /** The last change to anything public; the epoch when nothing was ever published. */
  changedAt: Date;
}
