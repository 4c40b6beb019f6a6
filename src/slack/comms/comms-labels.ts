import type { UpdateStatus } from '../../comms/update-status.js';

const LABEL: Record<UpdateStatus, string> = { investigating: '🔍 Investigating', identified: '🧭 Identified', monitoring: '👀 Monitoring', resolved: '🟢 Resolved' };

export function updateStatusLabel(status: UpdateStatus): string {
  return LABEL[status];
}

/** The buttons of an update reminder. */
export const UPDATE_CONTROL = { post: 'update-post', snooze: 'update-snooze' } as const;
