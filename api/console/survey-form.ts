import type { FormValues } from './env';

/** The most questions a survey has (domain/survey-schema.ts). */
export const MAX_QUESTIONS = 30;
/** The hidden field that says how many question cards the builder shows. */
export const COUNT_FIELD = 'survey.questions.count';
/** The fields of one question card, after `survey.questions.<i>.`. */
export const QUESTION_FIELDS = [
  'key',
  'type',
  'prompt.en',
  'prompt.km',
  'choices',
  'min',
  'max',
  'next',
  'timeout',
  'recommendations',
] as const;
const TYPES = ['choice', 'yes_no', 'number', 'text'] as const;

/** How many question cards the form holds: its count field, else the highest numbered field (1 to 30). */
export function questionCount(v: FormValues): number {
  const stated = Number(v[COUNT_FIELD]);
  let highest = 0;
  for (const name of Object.keys(v)) {
    const m = /^survey\.questions\.(\d+)\./.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]) + 1);
  }
  const n = Number.isInteger(stated) && stated > 0 ? stated : highest;
  return Math.min(MAX_QUESTIONS, Math.max(1, n));
}

/** A builder button: add a question (of a type), or remove / move up / move down question `i`. */
export type BuilderEdit =
  | { op: 'add'; type: (typeof TYPES)[number] }
  | { op: 'remove' | 'up' | 'down'; index: number };

/** The edit an `action` button names (`add:choice`, `remove:2`, `up:1`, `down:0`), if it is one. */
export function parseEdit(action: string | undefined): BuilderEdit | undefined {
  const m = /^(add|remove|up|down):([a-z_]+|\d{1,2})$/.exec(action ?? '');
  if (!m) return undefined;
  if (m[1] === 'add') {
    const type = TYPES.find((t) => t === m[2]);
    return type ? { op: 'add', type } : undefined;
  }
  if (!/^\d+$/.test(m[2]!)) return undefined;
  return { op: m[1] as 'remove' | 'up' | 'down', index: Number(m[2]) };
}

/**
 * Applies a builder edit to the form's values and returns the new values: the question cards are
 * renumbered, so every field (and the count) follows its question. A new question gets the next
 * free key `qN`. Out-of-range edits change nothing; there is always at least one question.
 */
export function editQuestions(v: FormValues, edit: BuilderEdit): FormValues {
  const n = questionCount(v);
  const cards = Array.from({ length: n }, (_, i) =>
    Object.fromEntries(QUESTION_FIELDS.map((k) => [k, v[`survey.questions.${i}.${k}`]])),
  ) as Array<Record<string, string | undefined>>;
  if (edit.op === 'add' && n < MAX_QUESTIONS) {
    const keys = new Set(cards.map((c) => c.key?.trim()));
    let k = n + 1;
    while (keys.has(`q${k}`)) k++;
    cards.push({ key: `q${k}`, type: edit.type });
  } else if (edit.op === 'remove' && edit.index < n && n > 1) cards.splice(edit.index, 1);
  else if (edit.op === 'up' && edit.index > 0 && edit.index < n)
    [cards[edit.index - 1], cards[edit.index]] = [cards[edit.index]!, cards[edit.index - 1]!];
  else if (edit.op === 'down' && edit.index + 1 < n)
    [cards[edit.index], cards[edit.index + 1]] = [cards[edit.index + 1]!, cards[edit.index]!];
  const out: FormValues = {};
  for (const [name, value] of Object.entries(v))
    if (!name.startsWith('survey.questions.') && name !== 'action') out[name] = value;
  cards.forEach((card, i) => {
    for (const [k, value] of Object.entries(card))
      if (value !== undefined) out[`survey.questions.${i}.${k}`] = value;
  });
  out[COUNT_FIELD] = String(cards.length);
  return out;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const num = (text: string | undefined) => (text?.trim() ? Number(text) : undefined);

/**
 * The builder's fields (named by their API paths, so errors land beside them) → the campaign body.
 * Choices are lines `key | English | Khmer`; skip rules are lines `answer -> question` where the
 * answer is a choice key, yes/no, or a range `min..max`; `end` ends the survey.
 */
export function surveyCampaignBody(v: FormValues) {
  const questions = [];
  for (let i = 0; i < questionCount(v); i++) {
    const f = (k: string) => v[`survey.questions.${i}.${k}`]?.trim() ?? '';
    // Every card is a question (a blank one is refused beside its fields): API paths stay card indices.
    const type = f('type') || 'choice';
    const choices = lines(v[`survey.questions.${i}.choices`]).map((l) => {
      const [key = '', en = '', km = ''] = l.split('|').map((p) => p.trim());
      return { key, label: { en, km } };
    });
    const next = lines(v[`survey.questions.${i}.next`]).map((l) => {
      const [when = '', goto = ''] = l.split('->').map((p) => p.trim());
      const range = /^(-?[\d.]*)\.\.(-?[\d.]*)$/.exec(when);
      const cond = range
        ? { ...(range[1] ? { min: Number(range[1]) } : {}), ...(range[2] ? { max: Number(range[2]) } : {}) }
        : type === 'yes_no'
          ? { answer: when }
          : { choice: when };
      return { if: cond, goto };
    });
    questions.push({
      key: f('key'),
      type,
      prompt: { en: f('prompt.en'), km: f('prompt.km') },
      ...(type === 'choice' ? { choices } : {}),
      ...(num(f('min')) !== undefined ? { min: num(f('min')) } : {}),
      ...(num(f('max')) !== undefined ? { max: num(f('max')) } : {}),
      ...(next.length ? { next } : {}),
      ...(f('timeout') ? { timeout: f('timeout') } : {}),
      ...(f('recommendations')
        ? {
            recommendations: f('recommendations')
              .split(/[,\s]+/)
              .filter(Boolean),
          }
        : {}),
    });
  }
  const recommendations = lines(v['survey.recommendations']).map((l) => {
    const [id = '', ...text] = l.split('|');
    return { id: id.trim(), text: text.join('|').trim() };
  });
  const rounds = num(v['survey.repeat.rounds']);
  const channel = v['survey.channel']?.trim() || 'sms';
  const introEn = v['survey.intro.en']?.trim() ?? '';
  const introKm = v['survey.intro.km']?.trim() ?? '';
  const tags = (v['audience.tags.include'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    kind: 'monitoring',
    title: v.title ?? '',
    survey: {
      ...(recommendations.length ? { recommendations } : {}),
      questions,
      ...(channel !== 'sms' ? { channel } : {}),
      // Half an intro is sent to the API, which names the missing language beside its field.
      ...(introEn || introKm ? { intro: { en: introEn, km: introKm } } : {}),
      ...(rounds && rounds > 1
        ? { repeat: { every: v['survey.repeat.every']?.trim() || 'P14D', rounds } }
        : {}),
    },
    ...(tags.length ? { audience: { tags: { include: tags } } } : {}),
    options: { quietHours: v['options.quietHours'] !== undefined },
  };
}

/** Every field the builder has (for `count` questions), for placing errors. */
export function builderFields(count = MAX_QUESTIONS): string[] {
  const fields = [
    'title',
    'audience.tags.include',
    'survey.recommendations',
    'survey.repeat.every',
    'survey.repeat.rounds',
    'survey.channel',
    'survey.intro',
    'survey.intro.en',
    'survey.intro.km',
    'survey.questions',
  ];
  for (let i = 0; i < count; i++) for (const k of QUESTION_FIELDS) fields.push(`survey.questions.${i}.${k}`);
  return fields;
}
