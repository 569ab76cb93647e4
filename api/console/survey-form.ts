import type { FormValues } from './env';

/** How many question slots the builder shows (a survey by SMS stays short). */
export const QUESTION_SLOTS = 6;

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
  for (let i = 0; i < QUESTION_SLOTS; i++) {
    const f = (k: string) => v[`survey.questions.${i}.${k}`]?.trim() ?? '';
    if (!f('key') && !f('prompt.en') && !f('prompt.km')) continue;
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
      ...(rounds && rounds > 1
        ? { repeat: { every: v['survey.repeat.every']?.trim() || 'P14D', rounds } }
        : {}),
    },
    ...(tags.length ? { audience: { tags: { include: tags } } } : {}),
    options: { quietHours: v['options.quietHours'] !== undefined },
  };
}

/** Every field the builder has, for placing errors. */
export function builderFields(): string[] {
  const fields = [
    'title',
    'audience.tags.include',
    'survey.recommendations',
    'survey.repeat.every',
    'survey.repeat.rounds',
    'survey.questions',
  ];
  for (let i = 0; i < QUESTION_SLOTS; i++)
    for (const k of [
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
    ])
      fields.push(`survey.questions.${i}.${k}`);
  return fields;
}
