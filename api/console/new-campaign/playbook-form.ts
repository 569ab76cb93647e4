import { createHmac } from 'node:crypto';
import type { FormValues } from '../env';
import { CASE_SHEET_FIELDS, caseSheetBody, targetsFromTable } from './case-sheet-form';

/** The console's new-campaign kinds: the playbooks, and custom stage lists built in the stage builder. */
export const PLAYBOOK_KINDS = ['case_alert', 'election_boycott', 'sanctions_lobbying', 'custom'] as const;
export type PlaybookKind = (typeof PLAYBOOK_KINDS)[number];
export const isPlaybookKind = (k: string | undefined): k is PlaybookKind =>
  (PLAYBOOK_KINDS as readonly string[]).includes(k ?? '');

export interface ParamField {
  path: string;
  label: string;
  km?: string;
  /** `tags`: a comma- or line-separated tag list, sent as `{ tags: { include } }`. */
  type: 'text' | 'number' | 'datetime-local' | 'tags';
  hint?: string;
  required?: boolean;
}

/** The parameters each playbook asks for (domain/params-schema.ts); every other number keeps its default. */
export const PLAYBOOK_PARAMS: Record<
  PlaybookKind,
  { summary: string; actionRequired: boolean; params: ParamField[] }
> = {
  case_alert: {
    summary:
      'Alert now; follow-up after 3 days to those who have not acted; escalation after 7 days if the action rate stays under the threshold, to this audience and only the tags you name below.',
    actionRequired: true,
    params: [
      {
        path: 'params.caseName',
        label: 'Case name',
        km: 'ឈ្មោះករណី',
        type: 'text',
        hint: 'Empty: the person(s) named in the case sheet.',
      },
      { path: 'params.caseNumber', label: 'Case number', km: 'លេខករណី', type: 'text', hint: 'e.g. UA 12/23' },
      {
        path: 'params.actionRateThreshold',
        label: 'Escalate below this action rate',
        type: 'number',
        hint: 'A fraction between 0 and 1; default 0.2.',
      },
      {
        path: 'params.widenTo',
        label: 'If too few act after the follow-up, widen the escalation to supporters tagged',
        type: 'tags',
        hint: 'e.g. partners. Empty: the escalation stays with this audience and organizers are notified. The preview shows both audiences.',
      },
    ],
  },
  election_boycott: {
    summary:
      'Reminders 30, 14, 7 and 1 days before the election, on polling day, and a report two days after.',
    actionRequired: false,
    params: [
      {
        path: 'params.electionDate',
        label: 'Election date and time (UTC)',
        km: 'ថ្ងៃបោះឆ្នោត',
        type: 'datetime-local',
        required: true,
      },
    ],
  },
  sanctions_lobbying: {
    summary: 'One ask a week for N weeks, then an escalation if targets have not responded.',
    actionRequired: true,
    params: [
      { path: 'params.weeks', label: 'Weeks', km: 'សប្ដាហ៍', type: 'number', hint: 'Default 8.' },
      { path: 'params.respondByDate', label: 'Targets must respond by (UTC)', type: 'datetime-local' },
    ],
  },
  custom: {
    summary:
      'Your own stages: add, remove and reorder them below; each fires after launch, at a time, or before or after the anchor date.',
    actionRequired: false,
    params: [
      {
        path: 'params.eventDate',
        label: 'Anchor date (UTC)',
        km: 'កាលបរិច្ឆេទយោង',
        type: 'datetime-local',
        hint: 'For stages timed before or after a date (a vigil, a hearing).',
      },
    ],
  },
};

/** Every field path of the new-campaign form, in page order (errors are placed on these). */
export function campaignFormFields(kind: PlaybookKind, stageFields: string[] = []): string[] {
  return [
    'title',
    ...PLAYBOOK_PARAMS[kind].params.map((p) => p.path),
    ...(kind === 'sanctions_lobbying'
      ? Array.from({ length: 52 }, (_, i) => `params.weeklyTargets.${i}`)
      : []),
    'params.weeklyTargets',
    'stages',
    ...stageFields,
    ...(kind === 'case_alert' ? CASE_SHEET_FIELDS : []),
    'action.url',
    'action.targets',
    'audience.tags.include',
    'audience.tags.exclude',
    'launchAt',
    'options.quietHours',
    'options.doneThankYou',
  ];
}

const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
const list = (v: string | undefined) =>
  (v ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
// <input type="datetime-local"> has no zone: the console labels these fields UTC.
const utcTime = (v: string | undefined) => {
  const t = text(v);
  return t && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(t) ? `${t.length === 16 ? `${t}:00` : t}Z` : t;
};
// A value that is not a number goes to the API as typed, so its error names the field.
const num = (v: string | undefined) => {
  const t = text(v);
  return t === undefined ? undefined : Number.isFinite(Number(t)) ? Number(t) : t;
};

function compact<T extends Record<string, unknown>>(o: T): Partial<T> | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as Partial<T>);
}

/** A tag list field → `{ tags: { include } }`, or nothing when empty. */
const tagFilter = (v: string | undefined) => {
  const include = list(v);
  return include.length > 0 ? { tags: { include } } : undefined;
};

/** `Name | Title | email` per line → action targets. */
function targets(v: string | undefined) {
  const rows = (v ?? '')
    .split('\n')
    .map((line) => line.split('|').map((s) => s.trim()))
    .filter((parts) => parts.some(Boolean));
  return rows.length === 0
    ? undefined
    : rows.map(([name, title, email]) =>
        compact({ name: name ?? '', title: text(title), email: text(email) }),
      );
}

/** The POST /v1/campaigns body the form describes; empty fields are left out so playbook defaults apply. */
export function campaignBody(kind: PlaybookKind, v: FormValues): Record<string, unknown> {
  const params = compact(
    Object.fromEntries(
      PLAYBOOK_PARAMS[kind].params.map((p) => [
        p.path.slice('params.'.length),
        p.type === 'number'
          ? num(v[p.path])
          : p.type === 'datetime-local'
            ? utcTime(v[p.path])
            : p.type === 'tags'
              ? tagFilter(v[p.path])
              : text(v[p.path]),
      ]),
    ),
  );
  if (kind === 'sanctions_lobbying') {
    const weekly = weeklyTargets(v);
    if (weekly) Object.assign((params ?? {}) as object, { weeklyTargets: weekly });
  }
  const caseSheet = kind === 'case_alert' ? caseSheetBody(v) : undefined;
  const include = list(v['audience.tags.include']);
  const exclude = list(v['audience.tags.exclude']);
  const body = {
    kind,
    title: text(v.title) ?? defaultTitle(kind, v, caseSheet) ?? '',
    params:
      params ??
      (kind === 'sanctions_lobbying' && weeklyTargets(v) ? { weeklyTargets: weeklyTargets(v) } : undefined),
    action: compact({
      url: text(v['action.url']),
      targets: (kind === 'case_alert' ? targetsFromTable(v) : undefined) ?? targets(v['action.targets']),
    }),
    ...(caseSheet ? { case: caseSheet } : {}),
    audience:
      include.length + exclude.length > 0
        ? {
            tags: compact({
              include: include.length ? include : undefined,
              exclude: exclude.length ? exclude : undefined,
            }),
          }
        : undefined,
    launchAt: utcTime(v.launchAt),
    options: {
      quietHours: v['options.quietHours'] === 'on',
      ...(v['options.doneThankYou'] === 'yes' || v['options.doneThankYou'] === 'no'
        ? { doneThankYou: v['options.doneThankYou'] === 'yes' }
        : {}),
    },
  };
  return compact(body) ?? {};
}

/** An Urgent Action needs no title of its own: `UA 12/23 Kem Sokha` from the case sheet. */
function defaultTitle(kind: PlaybookKind, v: FormValues, caseSheet: Record<string, unknown> | undefined) {
  if (kind !== 'case_alert') return undefined;
  const persons = (caseSheet?.persons as Array<{ name: string }> | undefined)?.map((p) => p.name).join(', ');
  const name = persons || text(v['params.caseName']);
  if (!name) return undefined;
  return [caseSheet?.uaNumber, name].filter(Boolean).join(' ');
}

/** Sanctions lobbying: `params.weeklyTargets.<i>` rows up to the last week with targets; an empty week before it takes the general targets. */
function weeklyTargets(v: FormValues) {
  const weeks: Array<ReturnType<typeof targets>> = [];
  for (let i = 0; i < 52; i++) weeks.push(targets(v[`params.weeklyTargets.${i}`]));
  const last = weeks.findLastIndex((w) => w !== undefined);
  if (last < 0) return undefined;
  const general = targets(v['action.targets']) ?? [];
  return weeks.slice(0, last + 1).map((w) => w ?? general);
}

/** Binds a launch to the body that was previewed: keyed with the session's secret, so only this session can mint one. */
export function previewDigest(secret: string, body: unknown): string {
  return createHmac('sha256', secret).update(JSON.stringify(body)).digest('base64url');
}
