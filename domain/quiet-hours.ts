import { addDays, instantOf, resolveTimeZone, wallClockAt } from './zoned-time';

/** Local times (`HH:MM`, 24-hour, end exclusive) between which SMS may be sent. */
export interface SendWindow {
  start: string;
  end: string;
}

export const DEFAULT_SEND_WINDOW: SendWindow = { start: '09:00', end: '20:00' };

function minutesOf(clock: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(clock);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!m || Number(m[2]) > 59 || !(minutes <= 24 * 60))
    throw new RangeError(`quiet hours ${field} "${clock}" is not a time between 00:00 and 24:00`);
  return minutes;
}

/** A window whose start is after its end runs across midnight; equal start and end means any time. */
function isInside(minute: number, start: number, end: number): boolean {
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * `now` when it falls inside the window in `timeZone`, else the next opening of the window there.
 * An unknown time zone is treated as UTC (documented fallback) rather than failing the send.
 */
export function nextSendableTime(
  now: Date,
  timeZone: string,
  window: SendWindow = DEFAULT_SEND_WINDOW,
): Date {
  const start = minutesOf(window.start, 'start');
  const end = minutesOf(window.end, 'end');
  const zone = resolveTimeZone(timeZone);
  const wall = wallClockAt(now.getTime(), zone);
  const minute = wall.hour * 60 + wall.minute + (wall.second + (now.getTime() % 1000) / 1000) / 60;
  if (isInside(minute, start, end)) return new Date(now.getTime());
  // Outside a same-day window after its end, the next opening is tomorrow; otherwise later today.
  let day = start < end && minute >= end ? addDays(wall, 1) : wall;
  for (let i = 0; i < 3; i++, day = addDays(day, 1)) {
    const opening = { ...day, hour: Math.floor(start / 60), minute: start % 60, second: 0 };
    const at = instantOf(opening, zone);
    if (at > now.getTime()) return new Date(at);
  }
  return new Date(now.getTime());
}

/** True when an SMS to someone in `timeZone` must wait for the window to open. */
export function isQuietHours(now: Date, timeZone: string, window: SendWindow = DEFAULT_SEND_WINDOW): boolean {
  return nextSendableTime(now, timeZone, window).getTime() !== now.getTime();
}
