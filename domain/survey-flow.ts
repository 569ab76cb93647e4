import type { Locale } from './content-schema';
import { MONITORING_TEXTS } from './stage-templates/monitoring';
import { readAnswer, type SurveyValue } from './survey-reply';
import { questionTimeoutMs, type Survey, type SurveyQuestion } from './survey-schema';

/**
 * One respondent's conversation in one round, as a pure state machine: the database layer and the
 * workflow tests' in-memory store both drive it, so branching, re-asking and timeouts live here once.
 */

export const SESSION_STATUSES = ['open', 'completed', 'incomplete', 'stopped', 'superseded'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface SessionState {
  status: SessionStatus;
  /** The open (or last) question. */
  questionKey: string;
  /** When the current question (or its re-ask or reminder) was asked, epoch ms: its timeout runs from here. */
  askedAt: number;
  reasked: boolean;
  reminded: boolean;
}

/** What goes out: the question again with a hint, a reminder, the next question, or thanks at the end. */
export type SendKind = 'question' | 'reask' | 'reminder' | 'thanks';
export interface SurveySend {
  questionKey: string;
  kind: SendKind;
}

export interface Step {
  state: SessionState;
  answer?: { questionKey: string; value: SurveyValue };
  send?: SurveySend;
}

export function questionOf(survey: Survey, key: string): SurveyQuestion {
  const q = survey.questions.find((x) => x.key === key);
  if (!q) throw new RangeError(`survey has no question ${key}`);
  return q;
}

/** The question after `q` given its answer: the first matching skip rule, else the next in order; null ends. */
export function nextQuestionKey(survey: Survey, q: SurveyQuestion, value: SurveyValue): string | null {
  for (const rule of q.next ?? []) {
    const cond = rule.if;
    const hit =
      'choice' in cond
        ? (value.type === 'choice' || value.type === 'yes_no') && value.choice === cond.choice
        : 'answer' in cond
          ? value.type === 'yes_no' && value.choice === cond.answer
          : value.type === 'number' &&
            (cond.min === undefined || value.number >= cond.min) &&
            (cond.max === undefined || value.number <= cond.max);
    if (hit) return rule.goto === 'end' ? null : rule.goto;
  }
  const i = survey.questions.indexOf(q);
  return survey.questions[i + 1]?.key ?? null;
}

/** A new conversation: the first question was asked at `askedAt`. */
export function openSession(survey: Survey, askedAt: number): SessionState {
  return { status: 'open', questionKey: survey.questions[0]!.key, askedAt, reasked: false, reminded: false };
}

/** A reply to the open question: recorded and followed by the next question, or asked again once with a hint. */
export function onReply(survey: Survey, state: SessionState, reply: string, now: number): Step {
  if (state.status !== 'open') return { state };
  const q = questionOf(survey, state.questionKey);
  const value = readAnswer(q, reply);
  if (!value) {
    // Once only: a second reply that does not fit waits for the timeout, so nobody is drowned in hints.
    if (state.reasked) return { state };
    return {
      state: { ...state, reasked: true, askedAt: now },
      send: { questionKey: q.key, kind: 'reask' },
    };
  }
  const answer = { questionKey: q.key, value };
  const next = nextQuestionKey(survey, q, value);
  if (next === null) {
    return { state: { ...state, status: 'completed' }, answer, send: { questionKey: q.key, kind: 'thanks' } };
  }
  return {
    state: { status: 'open', questionKey: next, askedAt: now, reasked: false, reminded: false },
    answer,
    send: { questionKey: next, kind: 'question' },
  };
}

/** When the open question's wait ends (epoch ms), or null when nothing is awaited. */
export function dueAt(survey: Survey, state: SessionState): number | null {
  if (state.status !== 'open') return null;
  return state.askedAt + questionTimeoutMs(questionOf(survey, state.questionKey));
}

/** The wait is over: one reminder, then the conversation is left incomplete. */
export function onTimeout(survey: Survey, state: SessionState, now: number): Step {
  const due = dueAt(survey, state);
  if (due === null || now < due) return { state };
  if (!state.reminded) {
    return {
      state: { ...state, reminded: true, askedAt: now },
      send: { questionKey: state.questionKey, kind: 'reminder' },
    };
  }
  return { state: { ...state, status: 'incomplete' } };
}

const HINTS = {
  choice: { en: 'Reply with the number of your answer.', km: 'សូមឆ្លើយដោយលេខនៃចម្លើយរបស់អ្នក។' },
  yes_no: { en: 'Reply YES or NO.', km: 'សូមឆ្លើយ បាទ/ចាស ឬ ទេ។' },
  number: { en: 'Reply with a number', km: 'សូមឆ្លើយជាលេខ' },
  text: { en: 'Reply with what you saw, in your own words.', km: 'សូមឆ្លើយអំពីអ្វីដែលអ្នកបានឃើញ តាមពាក្យរបស់អ្នក។' },
} as const;

// The wording lives with the other prewritten texts (domain/stage-templates/monitoring.ts).
const PREFIX = {
  question: { en: '', km: '' },
  reask: MONITORING_TEXTS.reask,
  reminder: MONITORING_TEXTS.reminder,
} as const;

const THANKS = MONITORING_TEXTS.thanks;

function hint(q: SurveyQuestion, locale: Locale): string {
  if (q.type !== 'number') return HINTS[q.type][locale];
  const range =
    q.min !== undefined && q.max !== undefined
      ? ` (${q.min}–${q.max})`
      : q.min !== undefined
        ? ` (≥ ${q.min})`
        : q.max !== undefined
          ? ` (≤ ${q.max})`
          : '';
  return `${HINTS.number[locale]}${range}.`;
}

/** The SMS for a question in one language: prompt, numbered choices, and how to answer. */
export function questionSms(
  q: SurveyQuestion,
  locale: Locale,
  kind: Exclude<SendKind, 'thanks'> = 'question',
): string {
  const lines = [`${PREFIX[kind][locale]}${q.prompt[locale]}`];
  q.choices?.forEach((c, i) => {
    lines.push(`${i + 1} ${c.label[locale]}`);
  });
  if (q.type === 'yes_no') lines.push(locale === 'km' ? '1 បាទ/ចាស  2 ទេ' : '1 Yes  2 No');
  lines.push(hint(q, locale));
  return lines.join('\n');
}

/** The SMS a send carries, in the respondent's language. */
export function sendText(survey: Survey, send: SurveySend, locale: Locale): string {
  if (send.kind === 'thanks') return THANKS[locale];
  return questionSms(questionOf(survey, send.questionKey), locale, send.kind);
}
