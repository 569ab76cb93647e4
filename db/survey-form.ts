import { parseDuration } from '../domain/duration';
import type { SurveyValue } from '../domain/survey-reply';
import { questionTimeoutMs, type Survey, surveySchema } from '../domain/survey-schema';
import type { Queryable } from './queryable';

/**
 * The survey form page's database side (api/routes/survey-form.tsx). A link token (a round's
 * delivery, `/a/<token>`) leads to the campaign, the round and the supporter; answers are written
 * against the campaign's pseudonymous respondent id, in the same tables as SMS answers, never
 * beside a contact detail.
 */

/** A monitoring round's link: what the form page needs. The supporter id never reaches the page. */
export interface SurveyFormLink {
  orgId: string;
  orgName: string;
  campaignId: string;
  campaignTitle: string;
  stageRunId: string;
  supporterId: string;
  locale: 'en' | 'km';
  round: number;
  survey: Survey;
  /** The form takes no answers: see formClosed. */
  closed: boolean;
  /** This respondent's conversation of the round: none yet, open by SMS (answered or not), or over (answered or not). */
  session: 'none' | 'open' | 'open_answered' | 'over' | 'over_unanswered';
}

/**
 * The monitoring round behind a link token, or undefined: an unknown token, a link of another kind
 * of campaign or stage, or an erased supporter. One query.
 */
export async function loadSurveyForm(
  sql: Queryable,
  token: string,
  now: Date = new Date(),
): Promise<SurveyFormLink | undefined> {
  const [row] = await sql<
    {
      org_id: string;
      org_name: string;
      campaign_id: string;
      title: string;
      status: string;
      survey: unknown;
      stage_run_id: string;
      supporter_id: string;
      locale: 'en' | 'km';
      round: number;
      later: boolean;
      started_at: Date | null;
      session_status: string | null;
      answered: boolean;
    }[]
  >`
    select d.org_id, o.name as org_name, c.id as campaign_id, c.title, c.status, c.definition -> 'survey' as survey,
      d.stage_run_id, d.supporter_id, s.locale, r.started_at, substring(r.stage_key from '^round-([0-9]+)$')::int as round,
      exists (select 1 from stage_runs l where l.campaign_id = c.id and l.org_id = c.org_id
        and l.stage_key ~ '^round-[0-9]+$' and l.started_at is not null
        and substring(l.stage_key from '^round-([0-9]+)$')::int > substring(r.stage_key from '^round-([0-9]+)$')::int) as later,
      x.status as session_status,
      coalesce(exists (select 1 from survey_answers a where a.session_id = x.id), false) as answered
    from deliveries d
    join stage_runs r on r.id = d.stage_run_id and r.org_id = d.org_id and r.stage_key ~ '^round-[0-9]+$'
    join campaigns c on c.id = r.campaign_id and c.org_id = r.org_id and c.kind = 'monitoring'
    join organizations o on o.id = d.org_id
    join supporters s on s.id = d.supporter_id and s.org_id = d.org_id and s.erased_at is null
    left join survey_respondents p on p.campaign_id = c.id and p.supporter_id = d.supporter_id
    left join survey_sessions x on x.respondent_id = p.id
      and x.round = substring(r.stage_key from '^round-([0-9]+)$')::int
    where d.link_token = ${token}`;
  if (!row) return undefined;
  const survey = surveySchema.safeParse(row.survey);
  if (!survey.success) return undefined;
  return {
    orgId: row.org_id,
    orgName: row.org_name,
    campaignId: row.campaign_id,
    campaignTitle: row.title,
    stageRunId: row.stage_run_id,
    supporterId: row.supporter_id,
    locale: row.locale,
    round: row.round,
    survey: survey.data,
    closed: formClosed(survey.data, { ...row, startedAt: row.started_at }, now),
    session: sessionOf(row.session_status, row.answered),
  };
}

/**
 * When a round's form stops taking answers: the campaign is cancelled (or closed), a later round has
 * begun (each round is its own set of answers), or the round's window is over: one repeat interval
 * after the round began, or, for a survey asked once, as long as the longest SMS conversation of the
 * round can stay open (each question's timeout twice: the wait before the reminder and after it).
 */
export function formClosed(
  survey: Survey,
  round: { status: string; later: boolean; startedAt: Date | null },
  now: Date,
): boolean {
  if (round.status === 'cancelled' || round.status === 'closed' || round.later) return true;
  if (!round.startedAt) return false;
  const window = survey.repeat
    ? parseDuration(survey.repeat.every)
    : survey.questions.reduce((sum, q) => sum + 2 * questionTimeoutMs(q), 0);
  return now.getTime() > round.startedAt.getTime() + window;
}

function sessionOf(status: string | null, answered: boolean): SurveyFormLink['session'] {
  if (status === null) return 'none';
  if (status !== 'open') return answered ? 'over' : 'over_unanswered';
  return answered ? 'open_answered' : 'open';
}

export type FormSubmission =
  | { status: 'recorded'; answers: number }
  | { status: 'already_answered' }
  | { status: 'answering_by_sms' }
  | { status: 'closed' };

/**
 * Records a form's answers as the round's one conversation of this respondent, in the caller's
 * transaction: the respondent (per campaign, pseudonymous) is found or made, the round's session is
 * written `completed`, each answer stored (a free-text one enters review as `pending`). The rule
 * between channels: one session per respondent per round. An open SMS conversation of the round
 * with no answer yet is completed by the form (its pending question, re-ask, reminder or thanks is
 * skipped, so SMS asks nothing more); one with SMS answers keeps going by SMS (`answering_by_sms`);
 * a finished one with answers, or a second form, is `already_answered`; one that ended without an
 * answer (left incomplete, stopped, superseded by a newer survey) is `closed`. A session the form wrote is never opened
 * by a later SMS delivery of the round (db/survey-sessions.ts opens a round's session only once).
 */
export async function recordFormAnswers(
  tx: Queryable,
  link: Pick<SurveyFormLink, 'orgId' | 'campaignId' | 'supporterId' | 'round'>,
  answers: Array<{ questionKey: string; value: SurveyValue }>,
  now: Date,
): Promise<FormSubmission> {
  const [respondent] = await tx<{ id: string }[]>`
    insert into survey_respondents (org_id, campaign_id, supporter_id)
    values (${link.orgId}, ${link.campaignId}, ${link.supporterId})
    on conflict (campaign_id, supporter_id) do update set supporter_id = excluded.supporter_id
    returning id`;
  const respondentId = respondent!.id;
  const last = answers.at(-1)?.questionKey;
  if (last === undefined) throw new RangeError('a form submission has at least one answer');
  // Inserted, or the existing session locked: two submissions at once are one insert and one refusal.
  const [created] = await tx<{ id: string }[]>`
    insert into survey_sessions (org_id, campaign_id, respondent_id, round, status, question_key, asked_at,
      due_at, started_at, finished_at)
    values (${link.orgId}, ${link.campaignId}, ${respondentId}, ${link.round}, 'completed', ${last}, ${now},
      null, ${now}, ${now})
    on conflict (respondent_id, round) do nothing
    returning id`;
  let sessionId = created?.id;
  if (!sessionId) {
    const [existing] = await tx<{ id: string; status: string; answered: boolean }[]>`
      select s.id, s.status, exists (select 1 from survey_answers a where a.session_id = s.id) as answered
      from survey_sessions s
      where s.respondent_id = ${respondentId} and s.round = ${link.round} and s.org_id = ${link.orgId}
      for update`;
    if (existing?.status !== 'open')
      return { status: existing?.answered === false ? 'closed' : 'already_answered' };
    if (existing.answered) return { status: 'answering_by_sms' };
    sessionId = existing.id;
    await tx`
      update survey_sessions set status = 'completed', question_key = ${last}, due_at = null, finished_at = ${now}
      where id = ${sessionId}`;
    await tx`
      update survey_sends set status = 'skipped'
      where session_id = ${sessionId} and org_id = ${link.orgId} and status = 'pending'`;
  }
  for (const { questionKey, value: v } of answers) {
    await tx`
      insert into survey_answers (org_id, campaign_id, respondent_id, session_id, round, question_key,
        answer_type, choice, number_value, text_value, answered_at, review_status)
      values (${link.orgId}, ${link.campaignId}, ${respondentId}, ${sessionId}, ${link.round}, ${questionKey},
        ${v.type}, ${v.type === 'choice' || v.type === 'yes_no' ? v.choice : null},
        ${v.type === 'number' ? v.number : null}, ${v.type === 'text' ? v.text : null}, ${now},
        ${v.type === 'text' ? 'pending' : null})
      on conflict (session_id, question_key) do nothing`;
  }
  return { status: 'recorded', answers: answers.length };
}
