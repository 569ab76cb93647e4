import { describe, expect, it } from 'vitest';
import { tryExpandDefinition } from '../../../domain/playbooks';
import { dueAt, onReply, onTimeout, openSession, questionSms } from '../../../domain/survey-flow';
import { latinDigits, readAnswer } from '../../../domain/survey-reply';
import { type Survey, surveySchema } from '../../../domain/survey-schema';

const bi = (en: string, km: string) => ({ en, km });
const survey: Survey = surveySchema.parse({
  recommendations: [{ id: 'UPR-110.45', text: 'Release detained human rights defenders' }],
  questions: [
    {
      key: 'q1',
      type: 'choice',
      prompt: bi('Were defenders released in your province?', 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?'),
      choices: [
        { key: 'yes', label: bi('Yes', 'បាទ/ចាស') },
        { key: 'no', label: bi('No', 'ទេ') },
        { key: 'unsure', label: bi('Not sure', 'មិនច្បាស់') },
      ],
      next: [{ if: { choice: 'no' }, goto: 'q3' }],
      timeout: 'P2D',
      recommendations: ['UPR-110.45'],
    },
    { key: 'q2', type: 'number', min: 0, max: 1000, prompt: bi('How many?', 'ប៉ុន្មាននាក់?') },
    { key: 'q3', type: 'text', prompt: bi('What did you see?', 'តើអ្នកបានឃើញអ្វី?') },
  ],
});
const q = (key: string) => survey.questions.find((x) => x.key === key)!;

const monitoring = (s: unknown) => ({ kind: 'monitoring', title: 'UPR watch', survey: s });
const pathsOf = (input: unknown) => {
  const r = tryExpandDefinition(input, { now: new Date('2026-01-01T00:00:00Z') });
  return r.ok ? [] : r.issues.map((i) => i.path);
};

describe('survey definitions', () => {
  it('expands a monitoring campaign into one round stage per repeat, each sending the first question', () => {
    const r = tryExpandDefinition(monitoring({ ...survey, repeat: { every: 'P14D', rounds: 6 } }), {
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.campaign.stages.map((s) => s.key)).toEqual([
      'round-1',
      'round-2',
      'round-3',
      'round-4',
      'round-5',
      'round-6',
    ]);
    expect(
      Date.parse(r.campaign.stages[1]!.scheduledAt) - Date.parse(r.campaign.stages[0]!.scheduledAt),
    ).toBe(14 * 86_400_000);
    expect(r.campaign.stages[0]!.content.km?.sms).toContain('1 បាទ/ចាស');
    expect(r.campaign.survey?.questions).toHaveLength(3);
  });

  it('names the path of a goto to an unknown question', () => {
    const bad = structuredClone(survey);
    bad.questions[0]!.next = [{ if: { choice: 'no' }, goto: 'q9' }];
    expect(pathsOf(monitoring(bad))).toContain('survey.questions.0.next.0.goto');
  });

  it('names a cycle, a choice question without choices, min > max and a missing language', () => {
    const cycle = structuredClone(survey);
    cycle.questions[2]!.next = [{ if: {}, goto: 'q1' }];
    expect(
      pathsOf(monitoring(cycle)).some((p) => p.startsWith('survey.questions.') && p.endsWith('.next')),
    ).toBe(true);
    const noChoices = structuredClone(survey) as unknown as { questions: Array<Record<string, unknown>> };
    delete noChoices.questions[0]!.choices;
    noChoices.questions[0]!.next = [];
    expect(pathsOf(monitoring(noChoices))).toContain('survey.questions.0.choices');
    const bounds = structuredClone(survey);
    bounds.questions[1]!.min = 10;
    bounds.questions[1]!.max = 5;
    expect(pathsOf(monitoring(bounds))).toContain('survey.questions.1.min');
    const noKhmer = structuredClone(survey) as unknown as {
      questions: Array<{ prompt: Record<string, string> }>;
    };
    delete noKhmer.questions[1]!.prompt.km;
    expect(pathsOf(monitoring(noKhmer))).toContain('survey.questions.1.prompt.km');
    expect(pathsOf({ kind: 'monitoring', title: 'x' })).toContain('survey');
  });
});

describe('reading replies as supporters type them', () => {
  it('reads option numbers in Latin and Khmer digits, and labels in either language', () => {
    expect(latinDigits('២០២៦')).toBe('2026');
    expect(readAnswer(q('q1'), '2')).toEqual({ type: 'choice', choice: 'no' });
    expect(readAnswer(q('q1'), ' ៣ ')).toEqual({ type: 'choice', choice: 'unsure' });
    expect(readAnswer(q('q1'), 'not  SURE!')).toEqual({ type: 'choice', choice: 'unsure' });
    expect(readAnswer(q('q1'), 'ចាស')).toEqual({ type: 'choice', choice: 'yes' });
    expect(readAnswer(q('q1'), 'y')).toEqual({ type: 'choice', choice: 'yes' });
    expect(readAnswer(q('q1'), '7')).toBeUndefined();
    expect(readAnswer(q('q1'), '🙏')).toBeUndefined();
  });

  it('reads yes/no words in English and Khmer', () => {
    const yn = { key: 'yn', type: 'yes_no' as const, prompt: bi('?', '?') };
    for (const yes of ['yes', 'Y', 'បាទ', 'ចាស', '1'])
      expect(readAnswer(yn, yes), yes).toEqual({ type: 'yes_no', choice: 'yes' });
    for (const no of ['no', 'n', 'ទេ', 'អត់', '2'])
      expect(readAnswer(yn, no), no).toEqual({ type: 'yes_no', choice: 'no' });
    expect(readAnswer(yn, 'maybe')).toBeUndefined();
  });

  it('reads numbers in Khmer digits within the bounds', () => {
    expect(readAnswer(q('q2'), '១២')).toEqual({ type: 'number', number: 12 });
    expect(readAnswer(q('q2'), 'about 40 people')).toEqual({ type: 'number', number: 40 });
    expect(readAnswer(q('q2'), '1001')).toBeUndefined();
    expect(readAnswer(q('q2'), '3 or 4')).toBeUndefined();
  });

  it('takes any text with a letter as a report, capped at 1,600 characters; empty or emoji only is not one', () => {
    expect(readAnswer(q('q3'), '')).toBeUndefined();
    expect(readAnswer(q('q3'), '😡😡')).toBeUndefined();
    const long = readAnswer(q('q3'), 'x'.repeat(5000));
    expect(long?.type === 'text' && long.text.length).toBe(1600);
  });
});

describe('a conversation', () => {
  it('branches on an answer, re-asks once with a hint, reminds once after the timeout, then ends incomplete', () => {
    let s = openSession(survey, 0);
    const skip = onReply(survey, s, '2', 10);
    expect(skip.answer).toEqual({ questionKey: 'q1', value: { type: 'choice', choice: 'no' } });
    expect(skip.send).toEqual({ questionKey: 'q3', kind: 'question' });
    s = openSession(survey, 0);
    const bad = onReply(survey, s, '🙂', 10);
    expect(bad.send).toEqual({ questionKey: 'q1', kind: 'reask' });
    expect(onReply(survey, bad.state, '🙂', 20).send).toBeUndefined();
    const due = dueAt(survey, bad.state)!;
    expect(onTimeout(survey, bad.state, due - 1).send).toBeUndefined();
    const reminded = onTimeout(survey, bad.state, due);
    expect(reminded.send).toEqual({ questionKey: 'q1', kind: 'reminder' });
    const ended = onTimeout(survey, reminded.state, dueAt(survey, reminded.state)!);
    expect(ended.state.status).toBe('incomplete');
    expect(ended.send).toBeUndefined();
  });

  it('completes after the last question and thanks once', () => {
    let s = openSession(survey, 0);
    s = onReply(survey, s, '1', 1).state;
    const last = onReply(survey, s, '12', 2);
    expect(last.send).toEqual({ questionKey: 'q3', kind: 'question' });
    const done = onReply(survey, last.state, 'Two were released on Monday', 3);
    expect(done.state.status).toBe('completed');
    expect(done.send?.kind).toBe('thanks');
    expect(onReply(survey, done.state, 'more', 4).answer).toBeUndefined();
  });

  it('writes each question with numbered options and a hint in the supporter language', () => {
    expect(questionSms(q('q1'), 'en')).toBe(
      'Were defenders released in your province?\n1 Yes\n2 No\n3 Not sure\nReply with the number of your answer.',
    );
    expect(questionSms(q('q2'), 'km', 'reask')).toContain('(0–1000)');
  });
});
