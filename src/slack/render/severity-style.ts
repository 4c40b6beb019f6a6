const EMOJI: Record<string, string> = { critical: '🔴', major: '🟠', high: '🟠', error: '🟠', warning: '🟡', minor: '🟡', info: '🔵', low: '🔵' };

export function severityEmoji(severity: string): string {
  return EMOJI[severity.toLowerCase()] ?? '⚪';
}

const STATUS: Record<string, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', reopened: 'Reopened' };

export function statusLabel(status: string): string {
  return STATUS[status] ?? status;
}
