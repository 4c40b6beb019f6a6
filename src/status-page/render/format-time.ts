const DATE_TIME = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DATE = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });

/** "Dec 6, 2026, 04:12 UTC": absolute, so every process renders the same page. */
export const formatDateTime = (at: Date): string => `${DATE_TIME.format(at)} UTC`;
/** "Dec 6, 2026". */
export const formatDate = (at: Date): string => DATE.format(at);
