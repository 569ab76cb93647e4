/** Wall-clock arithmetic in IANA time zones through Intl alone (no Node built-ins, no clock). */

export const FALLBACK_TIME_ZONE = 'UTC';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      fmt = null;
    }
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** The zone itself when Intl knows it, else UTC: a bad zone on one supporter must not stop a stage. */
export function resolveTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return FALLBACK_TIME_ZONE;
  const fmt = formatterFor(timeZone);
  return fmt ? fmt.resolvedOptions().timeZone : FALLBACK_TIME_ZONE;
}

export function wallClockAt(instant: number, timeZone: string): WallClock {
  const fmt = formatterFor(timeZone) ?? formatterFor(FALLBACK_TIME_ZONE)!;
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    // Some ICU versions still print midnight as 24 despite h23.
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const wallAsUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Milliseconds to add to UTC to get the zone's wall clock at `instant`. */
export function offsetAt(instant: number, timeZone: string): number {
  return wallAsUtc(wallClockAt(instant, timeZone)) - Math.floor(instant / 1000) * 1000;
}

const DAY = 86_400_000;

/**
 * The instant a wall-clock time names in a zone, disambiguated like Temporal's "compatible": in a
 * repeated hour (autumn) the earlier instant, in a skipped hour (spring) the time shifted forward by the gap.
 */
export function instantOf(wall: WallClock, timeZone: string): number {
  const local = wallAsUtc(wall);
  // At most one transition lies within a day either side, so these are the offsets before and after it.
  const before = offsetAt(local - DAY, timeZone);
  const after = offsetAt(local + DAY, timeZone);
  const candidates = [local - before, local - after].filter((t) => offsetAt(t, timeZone) === local - t);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before;
}

/** The calendar date `days` after the given one (month and year roll over). */
export function addDays(wall: WallClock, days: number): WallClock {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
