import type { Incident } from '../db/client.js';

/** Open and reopened incidents wait for an acknowledgement: their escalation clock runs. */
export function isEscalating(status: Incident['status']): boolean {
  return status === 'open' || status === 'reopened';
}
