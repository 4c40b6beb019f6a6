import type { PublicMaintenance } from './status-snapshot.js';

/**
 * Where the page's scheduled maintenance comes from: public maintenance windows, upcoming or in
 * progress at `now`. Read when the page is rendered, never per request.
 */
export type ScheduledMaintenanceProvider = (now: Date) => Promise<PublicMaintenance[]>;

/** No maintenance windows exist yet: the section and `scheduled-maintenances.json` are empty. */
export const noScheduledMaintenances: ScheduledMaintenanceProvider = async () => [];
