import { LOCALES } from '../../../domain/content-schema';
import type { FormValues } from '../env';
import { PARTS, rowContent } from './stage-rows';

/** Fields of one custom stage row (beside its texts): `at` holds the amount, so timing errors land there. */
const ROW_FIELDS = ['key', 'timing', 'at', 'unit', 'atTime', 'audience.select', 'channel'] as const;
const ALL_FIELDS = [...ROW_FIELDS, ...LOCALES.flatMap((l) => PARTS.map((p) => `content.${l}.${p}`))];

export const TIMINGS = ['after', 'at', 'before', 'afterAnchor'] as const;
export const UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;
/** The params key a custom campaign's anchored stages count from. */
export const ANCHOR = 'eventDate';

/** How many rows the builder has (rows are numbered from 0 without gaps). */
export function rowCount(v: FormValues): number {
  let n = 0;
  while (ALL_FIELDS.some((f) => v[`stages.${n}.${f}`] !== undefined)) n++;
  return n;
}

function readRow(v: FormValues, i: number): Record<string, string> {
  return Object.fromEntries(ALL_FIELDS.map((f) => [f, v[`stages.${i}.${f}`] ?? '']));
}

function writeRows(v: FormValues, rows: Array<Record<string, string>>): FormValues {
  const out: FormValues = Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('stages.')));
  rows.forEach((row, i) => {
    for (const [f, value] of Object.entries(row)) out[`stages.${i}.${f}`] = value;
  });
  return out;
}

/** A new row: the next free `stage-N` key, a day after the one before it, to everyone, SMS then email. */
export function blankRow(index: number, taken: Set<string>): Record<string, string> {
  let n = index + 1;
  while (taken.has(`stage-${n}`)) n++;
  return {
    ...Object.fromEntries(ALL_FIELDS.map((f) => [f, ''])),
    key: `stage-${n}`,
    timing: 'after',
    at: String(index),
    unit: 'days',
    'audience.select': 'all',
    channel: 'sms_then_email',
  };
}

/** The builder's buttons: `add`, `remove:<i>`, `up:<i>`, `down:<i>`; anything else changes nothing. */
export function applyBuilderIntent(v: FormValues, intent: string): FormValues | undefined {
  const rows = Array.from({ length: rowCount(v) }, (_, i) => readRow(v, i));
  if (intent === 'add') {
    rows.push(blankRow(rows.length, new Set(rows.map((r) => r.key ?? ''))));
    return writeRows(v, rows);
  }
  const m = /^(remove|up|down):(\d+)$/.exec(intent);
  if (!m) return undefined;
  const i = Number(m[2]);
  if (i >= rows.length) return v;
  if (m[1] === 'remove') rows.splice(i, 1);
  const j = m[1] === 'up' ? i - 1 : m[1] === 'down' ? i + 1 : -1;
  if (j >= 0 && j < rows.length) [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  return writeRows(v, rows);
}

/** `3` `days` → `P3D`; a value that is not a whole number goes as typed, so the API names the field. */
function isoDuration(amount: string, unit: string): string {
  const n = amount.trim();
  if (!/^\d+$/.test(n)) return n;
  if (unit === 'minutes') return `PT${n}M`;
  if (unit === 'hours') return `PT${n}H`;
  if (unit === 'weeks') return `P${n}W`;
  return `P${n}D`;
}

const utcTime = (t: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(t) ? `${t.length === 16 ? `${t}:00` : t}Z` : t;

/** The rows as API stages (POST /v1/campaigns `stages`), in the builder's order. */
export function customStageEntries(v: FormValues): Array<Record<string, unknown>> {
  return Array.from({ length: rowCount(v) }, (_, i) => {
    const row = readRow(v, i);
    const timing = row.timing || 'after';
    const amount = row.at ?? '';
    const at =
      timing === 'at'
        ? { at: utcTime(row.atTime ?? '') }
        : timing === 'before'
          ? { before: isoDuration(amount, row.unit ?? 'days'), anchor: ANCHOR }
          : timing === 'afterAnchor'
            ? { after: isoDuration(amount, row.unit ?? 'days'), anchor: ANCHOR }
            : { after: isoDuration(amount, row.unit ?? 'days') };
    const content = rowContent(v, i);
    return {
      key: row.key ?? '',
      at,
      audience: { select: row['audience.select'] || 'all' },
      channel: row.channel || 'sms_then_email',
      ...(content ? { content } : {}),
    };
  });
}

/** Every field path of the builder's rows (errors are placed on these). */
export function builderFields(rows: number): string[] {
  return Array.from({ length: rows }, (_, i) => [
    `stages.${i}.content`,
    ...ALL_FIELDS.map((f) => `stages.${i}.${f}`),
  ]).flat();
}
