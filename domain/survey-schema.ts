import { z } from 'zod';
import { durationProblem, parseDuration } from './duration';

/**
 * A monitoring campaign's survey (DESIGN.md section 11, API.md "Monitoring surveys"): questions in
 * English and Khmer, skip rules, a timeout per question, and an optional repeat schedule.
 */

export const SURVEY_QUESTION_TYPES = ['choice', 'yes_no', 'number', 'text'] as const;
export type SurveyQuestionType = (typeof SURVEY_QUESTION_TYPES)[number];

/** How a round reaches supporters (a stage channel policy; `sms_then_email` is "each supporter's reachable channel"). */
export const SURVEY_CHANNELS = ['sms', 'email', 'sms_then_email'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

/** Default wait for an answer before the one reminder, and again before "incomplete". */
export const DEFAULT_QUESTION_TIMEOUT = 'P2D';

const key = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
    'letters, digits, - and _, at most 40, starting with a letter or digit',
  );

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((t) => t.trim() !== '', 'must not be blank');

/** Both languages are required: every supporter reads the question in their own. */
const bilingual = (max: number) => z.strictObject({ en: text(max), km: text(max) });

const duration = z.string().superRefine((d, ctx) => {
  const problem = durationProblem(d);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  else if (parseDuration(d) < 5_000) ctx.addIssue({ code: 'custom', message: 'at least PT5S' });
});

/** `if` matches the answer: a choice key, yes/no, or a number range; `goto` names a later question or `end`. */
const ruleSchema = z.strictObject({
  if: z.union([
    z.strictObject({ choice: key }),
    z.strictObject({ answer: z.enum(['yes', 'no']) }),
    z.strictObject({ min: z.number().optional(), max: z.number().optional() }),
  ]),
  goto: z.union([key, z.literal('end')]),
});

export const surveyQuestionSchema = z.strictObject({
  key,
  type: z.enum(SURVEY_QUESTION_TYPES),
  // An SMS carries the prompt with its numbered options and a hint: 600 leaves room under Twilio's 1,600.
  prompt: bilingual(600),
  choices: z
    .array(z.strictObject({ key, label: bilingual(80) }))
    .max(9)
    .optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  next: z.array(ruleSchema).max(20).optional(),
  /** How long an answer is awaited before one reminder, and again after it (ISO 8601, default P2D). */
  timeout: duration.optional(),
  /** The UN recommendation(s) this question monitors (ids from `survey.recommendations`). */
  recommendations: z.array(z.string().min(1).max(60)).max(10).optional(),
});

export const surveySchema = z
  .strictObject({
    recommendations: z
      .array(z.strictObject({ id: z.string().trim().min(1).max(60), text: text(2000) }))
      .max(100)
      .optional(),
    questions: z.array(surveyQuestionSchema).min(1).max(30),
    /**
     * How each round reaches supporters: `sms` (the first question as a text, the rest as they
     * answer), `email` (an email with the intro and a link to the whole survey as a form page), or
     * `sms_then_email` (SMS to whoever SMS reaches, the email to the others). Default `sms`.
     */
    channel: z.enum(SURVEY_CHANNELS).optional(),
    /** What the round's email says before its link to the form page (and the page above the questions). */
    intro: bilingual(2000).optional(),
    /** Ask the whole survey again: each round is a new set of answers. */
    repeat: z.strictObject({ every: duration, rounds: z.number().int().min(1).max(52) }).optional(),
  })
  .superRefine((survey, ctx) => {
    for (const issue of surveyIssues(survey)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type SurveyQuestion = z.infer<typeof surveyQuestionSchema>;
export type Survey = z.infer<typeof surveySchema>;

type PathIssue = { path: PropertyKey[]; message: string };

/** Cross-field problems: keys, choices, bounds, skip targets, cycles and recommendation ids. */
export function surveyIssues(survey: Pick<Survey, 'questions' | 'recommendations'>): PathIssue[] {
  const issues: PathIssue[] = [];
  const index = new Map<string, number>();
  survey.questions.forEach((q, i) => {
    if (index.has(q.key)) issues.push({ path: ['questions', i, 'key'], message: `duplicate key ${q.key}` });
    else index.set(q.key, i);
  });
  const recIds = new Set((survey.recommendations ?? []).map((r) => r.id));
  survey.questions.forEach((q, i) => {
    const at = (...p: PropertyKey[]) => ['questions', i, ...p];
    if (q.type === 'choice' && (q.choices?.length ?? 0) < 2)
      issues.push({ path: at('choices'), message: 'a choice question needs at least two choices' });
    if (q.type !== 'choice' && q.choices !== undefined)
      issues.push({
        path: at('choices'),
        message: `only choice questions have choices (this one is ${q.type})`,
      });
    const seen = new Set<string>();
    q.choices?.forEach((c, j) => {
      if (seen.has(c.key))
        issues.push({ path: at('choices', j, 'key'), message: `duplicate choice ${c.key}` });
      seen.add(c.key);
    });
    if (q.min !== undefined && q.max !== undefined && q.min > q.max)
      issues.push({ path: at('min'), message: `min ${q.min} is greater than max ${q.max}` });
    if (q.type !== 'number' && (q.min !== undefined || q.max !== undefined))
      issues.push({
        path: at(q.min !== undefined ? 'min' : 'max'),
        message: 'only number questions have bounds',
      });
    q.next?.forEach((rule, j) => {
      if (rule.goto !== 'end') {
        const target = index.get(rule.goto);
        if (target === undefined)
          issues.push({ path: at('next', j, 'goto'), message: `no question has key ${rule.goto}` });
        else if (target === i)
          issues.push({ path: at('next', j, 'goto'), message: 'a question cannot skip to itself' });
      }
      const cond = rule.if;
      if ('choice' in cond && (q.type !== 'choice' || !seen.has(cond.choice)))
        issues.push({ path: at('next', j, 'if', 'choice'), message: `not a choice of ${q.key}` });
      if ('answer' in cond && q.type !== 'yes_no')
        issues.push({ path: at('next', j, 'if', 'answer'), message: 'yes/no rules need a yes_no question' });
      if (
        ('min' in cond || 'max' in cond) &&
        !('choice' in cond) &&
        !('answer' in cond) &&
        q.type !== 'number'
      )
        issues.push({ path: at('next', j, 'if'), message: 'range rules need a number question' });
    });
    q.recommendations?.forEach((id, j) => {
      if (!recIds.has(id))
        issues.push({ path: at('recommendations', j), message: `no recommendation has id ${id}` });
    });
  });
  const cycle = findCycle(survey.questions, index);
  if (cycle)
    issues.push({ path: ['questions', cycle.at, 'next'], message: `cycle: ${cycle.keys.join(' → ')}` });
  return issues;
}

/** Each question leads to its rules' targets and to the next in order; a path back is a cycle. */
function findCycle(
  questions: SurveyQuestion[],
  index: Map<string, number>,
): { at: number; keys: string[] } | undefined {
  const edges = (i: number): number[] => {
    const out = new Set<number>();
    if (i + 1 < questions.length) out.add(i + 1);
    for (const r of questions[i]?.next ?? []) {
      const t = r.goto === 'end' ? undefined : index.get(r.goto);
      if (t !== undefined && t !== i) out.add(t);
    }
    return [...out];
  };
  const state = new Map<number, 'open' | 'done'>();
  const stack: number[] = [];
  const visit = (i: number): { at: number; keys: string[] } | undefined => {
    state.set(i, 'open');
    stack.push(i);
    for (const j of edges(i)) {
      if (state.get(j) === 'open') {
        const loop = stack.slice(stack.indexOf(j)).concat(j);
        return { at: i, keys: loop.map((k) => questions[k]!.key) };
      }
      if (!state.has(j)) {
        const found = visit(j);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(i, 'done');
    return undefined;
  };
  for (let i = 0; i < questions.length; i++) {
    if (state.has(i)) continue;
    const found = visit(i);
    if (found) return found;
  }
  return undefined;
}

/** The timeout of a question in milliseconds. */
export const questionTimeoutMs = (q: SurveyQuestion): number =>
  parseDuration(q.timeout ?? DEFAULT_QUESTION_TIMEOUT);
