import { describe, expect, it } from 'vitest';
import { formClosed } from '../../../db/survey-form';
import { tryExpandDefinition } from '../../../domain/playbooks';
import { stageRunContent } from '../../../domain/stored-definition';
import { surveyEmailContent } from '../../../domain/survey-email';
import { parseFormNumber, readSurveyForm } from '../../../domain/survey-form-answers';
import { type Survey, surveySchema } from '../../../domain/survey-schema';

const bi = (en: string, km: string) => ({ en, km });
const survey: Survey = surveySchema.parse({
  questions: [
    {
      key: 'released',
      type: 'choice',
      prompt: bi('Were defenders released?', 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?'),
      choices: [
        { key: 'yes', label: bi('Yes', 'បាទ/ចាស') },
        { key: 'no', label: bi('No', 'ទេ') },
      ],
      next: [{ if: { choice: 'no' }, goto: 'report' }],
    },
    { key: 'count', type: 'number', min: 0, max: 100, prompt: bi('How many?', 'ប៉ុន្មាននាក់?') },
    {
      key: 'safe',
      type: 'yes_no',
      prompt: bi('Are they safe?', 'តើពួកគេមានសុវត្ថិភាពទេ?'),
      next: [{ if: { answer: 'yes' }, goto: 'end' }],
    },
    { key: 'report', type: 'text', prompt: bi('What did you see?', 'តើអ្នកបានឃើញអ្វី?') },
  ],
});

describe('the survey form: reading posted answers', () => {
  it('reads every type, with Khmer digits, and follows the skip rules to the end', () => {
    const r = readSurveyForm(survey, { released: 'yes', count: '១២', safe: 'yes', report: 'ignored' }, 'en');
    expect(r.ok).toBe(true);
    expect(r.answers).toEqual([
      { questionKey: 'released', value: { type: 'choice', choice: 'yes' } },
      { questionKey: 'count', value: { type: 'number', number: 12 } },
      { questionKey: 'safe', value: { type: 'yes_no', choice: 'yes' } },
    ]);
    // "yes" to safe ends the survey: the report is not asked, and what was typed there is ignored.
    expect(r.skipped).toEqual(['report']);
  });

  it('does not require the questions a rule skips, and ignores their values', () => {
    const r = readSurveyForm(
      survey,
      { released: 'no', count: 'not a number', report: ' Nobody was released ' },
      'en',
    );
    expect(r).toMatchObject({ ok: true, skipped: ['count', 'safe'] });
    expect(r.answers).toEqual([
      { questionKey: 'released', value: { type: 'choice', choice: 'no' } },
      { questionKey: 'report', value: { type: 'text', text: 'Nobody was released' } },
    ]);
  });

  it('requires each question on the path, with a message in the page language beside each field', () => {
    const r = readSurveyForm(survey, { released: 'yes', count: '', safe: 'no' }, 'km');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['count', 'report']);
    expect(r.errors.count).toBe('សូមឆ្លើយសំណួរនេះ។');
  });

  it('refuses a number out of bounds or not a number, and a choice that is not offered', () => {
    const over = readSurveyForm(survey, { released: 'yes', count: '១០១', safe: 'yes' }, 'en');
    expect(over.ok || over.errors).toEqual({ count: 'Enter a number of at most 100.' });
    const words = readSurveyForm(survey, { released: 'yes', count: 'about 12', safe: 'yes' }, 'en');
    expect(words.ok || words.errors.count).toBe('Enter a number, e.g. 12 or ១២.');
    const forged = readSurveyForm(survey, { released: 'maybe', count: '1', safe: 'yes' }, 'en');
    expect(forged.ok || forged.errors).toMatchObject({ released: 'Choose one of the answers.' });
    const yn = readSurveyForm(survey, { released: 'yes', count: '1', safe: 'sure', report: 'Seen' }, 'en');
    expect(yn.ok || Object.keys(yn.errors)).toEqual(['safe']);
  });

  it('refuses a report of only emoji or longer than 1,600 characters', () => {
    const emoji = readSurveyForm(survey, { released: 'no', report: '🙏🙏' }, 'en');
    expect(emoji.ok || Object.keys(emoji.errors)).toEqual(['report']);
    const long = readSurveyForm(survey, { released: 'no', report: 'a'.repeat(1601) }, 'en');
    expect(long.ok || long.errors.report).toMatch(/1600/);
    const fits = readSurveyForm(survey, { released: 'no', report: 'ក'.repeat(1600) }, 'en');
    expect(fits.ok).toBe(true);
  });

  it('with a wrong answer, still checks the questions after it in order', () => {
    const r = readSurveyForm(survey, { released: '', count: '5' }, 'en');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // No valid "released": its rule cannot apply, so count, safe and report follow in order.
    expect(Object.keys(r.errors)).toEqual(['released', 'safe', 'report']);
    expect(r.answers.map((a) => a.questionKey)).toEqual(['count']);
  });

  it('parses form numbers: Latin and Khmer digits, thousands, decimals, one number only', () => {
    expect(parseFormNumber('១២')).toBe(12);
    expect(parseFormNumber(' 1,200 ')).toBe(1200);
    expect(parseFormNumber('៣.៥')).toBe(3.5);
    expect(parseFormNumber('3,5')).toBe(3.5);
    expect(parseFormNumber('-2')).toBe(-2);
    expect(parseFormNumber('12 people')).toBeUndefined();
    expect(parseFormNumber('1 2')).toBeUndefined();
    expect(parseFormNumber('')).toBeUndefined();
  });
});

describe('a monitoring round by email', () => {
  const expand = (s: unknown) =>
    tryExpandDefinition(
      { kind: 'monitoring', title: 'UPR {{watch}}', survey: s },
      { now: new Date('2026-01-01T00:00:00Z') },
    );

  it('keeps SMS rounds as they were, and gives email rounds a subject and the intro in both languages', () => {
    const sms = expand(survey);
    expect(sms.ok).toBe(true);
    if (!sms.ok) return;
    expect(sms.campaign.stages[0]!.channel).toBe('sms');
    expect(Object.keys(sms.campaign.stages[0]!.content.en ?? {})).toEqual(['sms']);

    for (const channel of ['email', 'sms_then_email'] as const) {
      const r = expand({ ...survey, channel, intro: bi('Tell us what you see.', 'ប្រាប់យើងពីអ្វីដែលអ្នកឃើញ។') });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) return;
      const stage = r.campaign.stages[0]!;
      expect(stage.channel).toBe(channel);
      expect(stage.content.en).toMatchObject({ subject: 'A few questions: UPR { {watch} }' });
      expect(stage.content.en?.body).toContain('Tell us what you see.');
      expect(stage.content.en?.body).toContain('4 short questions');
      expect(stage.content.km?.body).toContain('ប្រាប់យើងពីអ្វីដែលអ្នកឃើញ។');
      // The SMS text stays: sms_then_email sends it to whoever SMS reaches.
      expect(stage.content.en?.sms).toContain('Were defenders released?');
    }
  });

  it('refuses an unknown channel and an intro missing a language, naming the path', () => {
    const bad = expand({ ...survey, channel: 'fax', intro: { en: 'Hello' } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const paths = bad.issues.map((i) => i.path);
    expect(paths).toContain('survey.channel');
    expect(paths).toContain('survey.intro.km');
  });

  it('marks a round’s stage run as opening the form page (other stages and kinds are not)', () => {
    const def = { kind: 'monitoring', title: 't', stages: [] };
    expect(stageRunContent(def, 'round-2').surveyForm).toBe(true);
    expect(stageRunContent(def, 'update-1').surveyForm).toBeUndefined();
    expect(stageRunContent({ kind: 'petition', title: 't' }, 'round-1').surveyForm).toBeUndefined();
  });

  it('writes a default intro and the length when the survey has no intro', () => {
    const email = surveyEmailContent('Watch', { questions: survey.questions.slice(0, 1) });
    expect(email.en.body).toContain('It is one question, on one page.');
    expect(email.km.subject).toBe('សំណួរខ្លីៗ៖ Watch');
  });
});

describe('when a round’s form closes', () => {
  const began = new Date('2026-03-01T00:00:00Z');
  const at = (days: number) => new Date(began.getTime() + days * 86_400_000 + 1);
  const open = { status: 'completed', later: false, startedAt: began };

  it('closes when the campaign is cancelled or a later round began', () => {
    expect(formClosed(survey, { ...open, status: 'cancelled' }, began)).toBe(true);
    expect(formClosed(survey, { ...open, later: true }, began)).toBe(true);
    expect(formClosed(survey, open, began)).toBe(false);
  });

  it('keeps a survey asked once open as long as its longest SMS conversation (each timeout twice)', () => {
    // Four questions with the default P2D: 16 days.
    expect(formClosed(survey, open, at(15))).toBe(false);
    expect(formClosed(survey, open, at(16))).toBe(true);
  });

  it('keeps a repeating survey’s round open for one interval', () => {
    const repeating = { ...survey, repeat: { every: 'P14D', rounds: 3 } };
    expect(formClosed(repeating, open, at(13))).toBe(false);
    expect(formClosed(repeating, open, at(14))).toBe(true);
  });
});
