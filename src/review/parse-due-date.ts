const DAY_MS = 86_400_000;

/**
 * A follow-up's deadline as typed: `2026-12-01`, `today`, `tomorrow`, `3d` or `2w` (from today in
 * UTC). Returns the date, or undefined when it is malformed, not a real date, or past. A date is
 * past only when it is before yesterday in UTC: for someone west of Greenwich, their today may
 * still be UTC's yesterday.
 */
export function parseDueDate(text: string, now: Date): Date | undefined {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const given = text.trim().toLowerCase();
  let due: number | undefined;
  if (given === 'today') due = today;
  else if (given === 'tomorrow') due = today + DAY_MS;
  else {
    const relative = /^(\d{1,3})([dw])$/.exec(given);
    const absolute = /^(\d{4})-(\d{2})-(\d{2})$/.exec(given);
    if (relative) due = today + Number(relative[1]) * (relative[2] === 'w' ? 7 : 1) * DAY_MS;
    else if (absolute) {
      const [year, month, day] = [Number(absolute[1]), Number(absolute[2]), Number(absolute[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      // 2026-02-30 rolls over to March in Date.UTC: not a real date.
      if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) due = date.getTime();
    }
  }
  if (due === undefined || due < today - DAY_MS) return undefined;
  return new Date(due);
}
