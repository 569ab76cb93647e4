import type { CampaignDefinition } from '../campaign-schema';
import type { Locale } from '../content-schema';
import { PLACEHOLDER_PATTERN } from '../content-schema';
import { parseDuration } from '../duration';
import { PLAYBOOK_DEFAULTS } from '../playbooks/defaults';
import type { StageTiming } from '../stage-schema';

/**
 * Template fields filled once, at launch, from the campaign's own fields (the recipient's
 * placeholders such as {{firstName}} and {{actionUrl}} are filled when each message is sent).
 */
export const LAUNCH_FIELDS = ['title', 'electionDate', 'daysLeft', 'week', 'weeks', 'appealBy'] as const;
export type LaunchField = (typeof LAUNCH_FIELDS)[number];
const KNOWN = new Set<string>(LAUNCH_FIELDS);

/** Raw values: dates as RFC 3339 or calendar dates, counts as numbers; formatted per language when filled. */
export type LaunchValues = Partial<Record<LaunchField, string | number>>;

const DAY_MS = 86_400_000;
const LOCALE_TAG: Record<Locale, string> = { en: 'en-GB', km: 'km-KH-u-nu-khmr' };

function formatDate(value: string, locale: Locale): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALE_TAG[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

const formatNumber = (n: number, locale: Locale) => new Intl.NumberFormat(LOCALE_TAG[locale]).format(n);

/** The launch values of one stage of a definition (`at` is the stage's declared timing). */
export function launchValues(
  def: Pick<CampaignDefinition, 'title' | 'params' | 'case'>,
  stage: { key: string; at?: StageTiming },
): LaunchValues {
  const params = def.params ?? {};
  const values: LaunchValues = { title: def.title };
  if (params.electionDate) values.electionDate = params.electionDate;
  if (def.case?.appealBy) values.appealBy = def.case.appealBy;
  if (stage.at && 'before' in stage.at && stage.at.anchor === 'electionDate') {
    const days = Math.round(parseDuration(stage.at.before) / DAY_MS);
    if (days > 0) values.daysLeft = days;
  }
  const week = /^week-(\d+)$/.exec(stage.key);
  if (week) values.week = Number(week[1]);
  values.weeks = params.weeks ?? (params.weeklyTargets?.length || PLAYBOOK_DEFAULTS.weeks);
  return values;
}

function formatted(field: LaunchField, value: string | number | undefined, locale: Locale) {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return formatNumber(value, locale);
  if (field === 'electionDate' || field === 'appealBy') return formatDate(value, locale);
  return value;
}

/**
 * Fills the launch fields of a template text in one language. A line naming a field without a
 * value is left out (the appeal-by sentence of a case without a date), and so is a line with
 * {{actionUrl}} when the campaign asks no action (a one-line text keeps its line, the field empty);
 * other placeholders are kept for the sender.
 */
export function fillLaunchFields(
  text: string,
  locale: Locale,
  values: LaunchValues,
  opts: { hasAction: boolean },
): string {
  const lines = text.split('\n');
  // A one-line text (a subject) is kept whole: leaving it out would leave nothing.
  const kept = lines.filter((line) => {
    if (lines.length === 1) return true;
    for (const m of line.matchAll(PLACEHOLDER_PATTERN)) {
      const name = m[1] ?? '';
      if (name === 'actionUrl' && !opts.hasAction) return false;
      if (
        KNOWN.has(name) &&
        formatted(name as LaunchField, values[name as LaunchField], locale) === undefined
      )
        return false;
    }
    return true;
  });
  const last = kept.length - 1;
  // A sentence that led to a link now left out ends with a full stop instead of a colon.
  if (last >= 0 && !opts.hasAction) kept[last] = kept[last]!.replace(/:\s*$/, '.').replace(/៖\s*$/, '។');
  return kept
    .join('\n')
    .replace(PLACEHOLDER_PATTERN, (whole, name: string) =>
      KNOWN.has(name) ? (formatted(name as LaunchField, values[name as LaunchField], locale) ?? '') : whole,
    )
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
