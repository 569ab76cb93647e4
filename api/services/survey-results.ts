import type { AnswerAggregate } from '../../db/survey-results';
import type { Survey } from '../../domain/survey-schema';

export interface QuestionResult {
  key: string;
  type: string;
  prompt: { en: string; km: string };
  /** Published answers: every choice, yes/no and number answer; verified reports only. */
  answers: number;
  counts: Record<string, number>;
  stats?: { min: number; max: number; mean: number };
  /** Choice questions: each choice's key and bilingual label (for charts). */
  choices?: Array<{ key: string; label: { en: string; km: string } }>;
  recommendations: string[];
}

/** GET …/results per question, in survey order, every choice listed (zero when nobody chose it). */
export function questionResults(survey: Survey, rows: AnswerAggregate[]): QuestionResult[] {
  return survey.questions.map((q) => {
    const mine = rows.filter((r) => r.question_key === q.key);
    const counts: Record<string, number> = {};
    const keys =
      q.type === 'choice' ? (q.choices ?? []).map((c) => c.key) : q.type === 'yes_no' ? ['yes', 'no'] : [];
    for (const k of keys) counts[k] = 0;
    for (const r of mine) if (r.choice !== null) counts[r.choice] = (counts[r.choice] ?? 0) + r.n;
    const answers = mine.reduce((sum, r) => sum + r.n, 0);
    const numeric = mine.find((r) => r.min !== null);
    return {
      key: q.key,
      type: q.type,
      prompt: q.prompt,
      answers,
      counts,
      ...(q.type === 'number' && numeric
        ? { stats: { min: numeric.min!, max: numeric.max!, mean: Math.round(numeric.mean! * 100) / 100 } }
        : {}),
      ...(q.choices ? { choices: q.choices } : {}),
      recommendations: q.recommendations ?? [],
    };
  });
}

/** Results rolled up per monitored recommendation (questions that name it). */
export function recommendationResults(survey: Survey, questions: QuestionResult[]) {
  return (survey.recommendations ?? []).map((r) => ({
    id: r.id,
    text: r.text,
    questions: questions.filter((q) => q.recommendations.includes(r.id)),
  }));
}

/** One CSV field: quoted when needed; a leading = + - @ is neutralised so spreadsheets do not run it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
