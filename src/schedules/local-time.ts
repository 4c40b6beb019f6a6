import { IANAZone } from 'luxon';

/** Offsets change on quarter hours in every IANA zone; one lookup per zone and quarter hour is kept. */
const QUARTER_HOUR = 900_000;
const MAX_KEPT = 200_000;
const offsets = new Map<string, Map<number, number>>();

/** The zone's UTC offset in milliseconds at `at` (through Luxon's zone data, memoised). */
function offsetAt(zone: string, at: number): number {
  let kept = offsets.get(zone);
  if (!kept) {
    kept = new Map();
    offsets.set(zone, kept);
  }
  const bucket = Math.floor(at / QUARTER_HOUR);
  let offset = kept.get(bucket);
  if (offset === undefined) {
    if (kept.size > MAX_KEPT) kept.clear();
    offset = IANAZone.create(zone).offset(bucket * QUARTER_HOUR) * 60_000;
    kept.set(bucket, offset);
  }
  return offset;
}

/** The wall-clock weekday (1 = Monday … 7 = Sunday) and minute of the day at `at` in `zone`. */
export function localWeekdayAndMinute(zone: string, at: number): { weekday: number; minute: number } {
  const local = at + offsetAt(zone, at);
  const day = Math.floor(local / 86_400_000);
  // 1970-01-01 was a Thursday.
  return { weekday: ((day + 3) % 7 + 7) % 7 + 1, minute: Math.floor((local - day * 86_400_000) / 60_000) };
}
