import type { FinalShift } from './final-shifts.js';

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (Buffer.byteLength(current + char, 'utf8') > limit) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A calendar of a schedule's final shifts (times in UTC, which every calendar app converts);
 * `names` turns user IDs into people's names where known.
 */
export function renderIcsFeed(schedule: string, shifts: readonly FinalShift[], now: Date, names: ReadonlyMap<string, string> = new Map()): string {
  const stamp = utc(now.getTime());
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//incident-bot//on-call schedules//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(`On call: ${schedule}`)}`];
  for (const shift of shifts) {
    const who = names.get(shift.user) ?? shift.user;
    const via = shift.override !== null ? `override #${shift.override}` : `layer ${shift.layer ?? ''}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${schedule}-${shift.from}-${shift.user}@incident-bot`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utc(shift.from)}`,
      `DTEND:${utc(shift.until)}`,
      `SUMMARY:${escapeText(`${who} on call (${schedule})`)}`,
      `DESCRIPTION:${escapeText(`Slack user ${shift.user}, chosen by ${via}`)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
