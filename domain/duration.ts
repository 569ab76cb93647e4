/**
 * ISO 8601 durations as elapsed milliseconds. A day is exactly 24 hours and a week 7 days: stage
 * times are instants, and local wall-clock concerns belong to quiet hours. Years and months are
 * rejected because their length depends on the calendar position.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

export class DurationError extends RangeError {
  override name = 'DurationError';
}

/** Why `text` is not a usable duration, or undefined when it is. */
export function durationProblem(text: string): string | undefined {
  try {
    parseDuration(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function isDuration(text: string): boolean {
  return durationProblem(text) === undefined;
}

/** `P3D`, `PT30S`, `P1W`, `P1DT2H`, `PT0S`, `PT1.5S` → milliseconds. Throws DurationError. */
export function parseDuration(text: string): number {
  const m = PATTERN.exec(text);
  // "P" and "P1DT" match the pattern but name no amount.
  if (!m || text === 'P' || text.endsWith('T'))
    throw new DurationError(`"${text}" is not an ISO 8601 duration such as P3D, PT12H or P1DT2H`);
  const [, years, months, weeks, days, hours, minutes, seconds] = m;
  if (years !== undefined || months !== undefined)
    throw new DurationError(
      `"${text}": years and months vary in length; use weeks or days (P4W, P30D) instead`,
    );
  const ms =
    Number(weeks ?? 0) * WEEK +
    Number(days ?? 0) * DAY +
    Number(hours ?? 0) * HOUR +
    Number(minutes ?? 0) * MINUTE +
    Math.round(Number((seconds ?? '0').replace(',', '.')) * SECOND);
  if (!Number.isSafeInteger(ms)) throw new DurationError(`"${text}" is too long`);
  return ms;
}

/** Milliseconds → canonical duration in days, hours, minutes and seconds (`P1DT2H`, `PT0S`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new DurationError(`${ms} ms is not a non-negative duration`);
  let rest = Math.round(ms);
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = rest / SECOND;
  const date = days > 0 ? `${days}D` : '';
  const time =
    (hours > 0 ? `${hours}H` : '') + (minutes > 0 ? `${minutes}M` : '') + (seconds > 0 ? `${seconds}S` : '');
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time ? `T${time}` : ''}`;
}
