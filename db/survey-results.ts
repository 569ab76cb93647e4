import type { Queryable } from './queryable';

/** Rows behind GET …/results: verified reports only; no contact detail is ever selected. */
export interface AnswerAggregate {
  question_key: string;
  answer_type: string;
  choice: string | null;
  n: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

export async function answerAggregates(sql: Queryable, orgId: string, campaignId: string, round?: number) {
  return sql<AnswerAggregate[]>`
    select question_key, answer_type, choice, count(*)::int as n,
      min(number_value) as min, max(number_value) as max, avg(number_value)::float8 as mean
    from survey_answers
    where org_id = ${orgId} and campaign_id = ${campaignId}
      and (${round ?? null}::int is null or round = ${round ?? null}::int)
      and (answer_type <> 'text' or review_status = 'verified')
    group by question_key, answer_type, choice`;
}

export async function sessionTotals(sql: Queryable, orgId: string, campaignId: string, round?: number) {
  const [row] = await sql<
    {
      asked: number;
      respondents: number;
      completed: number;
      incomplete: number;
      stopped: number;
      open: number;
    }[]
  >`
    select count(*)::int as asked,
      count(*) filter (where exists (select 1 from survey_answers a where a.session_id = s.id))::int as respondents,
      count(*) filter (where status = 'completed')::int as completed,
      count(*) filter (where status in ('incomplete', 'superseded'))::int as incomplete,
      count(*) filter (where status = 'stopped')::int as stopped,
      count(*) filter (where status = 'open')::int as open
    from survey_sessions s
    where org_id = ${orgId} and campaign_id = ${campaignId}
      and (${round ?? null}::int is null or round = ${round ?? null}::int)`;
  return row!;
}

/** Conversations completed per UTC day, for the completion-over-time chart. */
export async function completionByDay(sql: Queryable, orgId: string, campaignId: string) {
  return sql<{ day: string; completed: number }[]>`
    select to_char(date_trunc('day', finished_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as completed
    from survey_sessions
    where org_id = ${orgId} and campaign_id = ${campaignId} and status = 'completed'
    group by 1 order by 1`;
}

/** One row per published answer, oldest first, after `afterId` (the CSV streams in pages). */
export async function answerRows(
  sql: Queryable,
  orgId: string,
  campaignId: string,
  afterId: string,
  limit: number,
) {
  return sql<
    {
      id: string;
      respondent_id: string;
      round: number;
      question_key: string;
      answer_type: string;
      choice: string | null;
      number_value: number | null;
      text_value: string | null;
      answered_at: Date;
    }[]
  >`
    select id, respondent_id, round, question_key, answer_type, choice, number_value, text_value, answered_at
    from survey_answers
    where org_id = ${orgId} and campaign_id = ${campaignId} and id > ${afterId}
      and (answer_type <> 'text' or review_status = 'verified')
    order by id limit ${limit}`;
}

export interface ReportRow {
  id: string;
  campaign_id: string;
  respondent_id: string;
  round: number;
  question_key: string;
  text_value: string;
  answered_at: Date;
  review_status: 'pending' | 'verified' | 'rejected';
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

const REPORT_COLUMNS = `id, campaign_id, respondent_id, round, question_key, text_value, answered_at, review_status,
  review_note, reviewed_by, reviewed_at`;

/** Free-text reports of the organization, newest first, optionally of one campaign and status. */
export async function listReports(
  sql: Queryable,
  orgId: string,
  q: { campaignId?: string; status?: string; beforeId?: string; limit: number },
) {
  return sql<ReportRow[]>`
    select ${sql.unsafe(REPORT_COLUMNS)} from survey_answers
    where org_id = ${orgId} and review_status is not null
      and (${q.campaignId ?? null}::uuid is null or campaign_id = ${q.campaignId ?? null}::uuid)
      and (${q.status ?? null}::text is null or review_status = ${q.status ?? null}::text)
      and (${q.beforeId ?? null}::bigint is null or id < ${q.beforeId ?? null}::bigint)
    order by id desc limit ${q.limit + 1}`;
}

/** Records a review; undefined when the report is unknown in this organization. */
export async function reviewReport(
  sql: Queryable,
  orgId: string,
  id: string,
  review: { status: 'verified' | 'rejected'; note: string | null; reviewer: string },
) {
  const [row] = await sql<ReportRow[]>`
    update survey_answers set review_status = ${review.status}, review_note = ${review.note},
      reviewed_by = ${review.reviewer}, reviewed_at = now()
    where org_id = ${orgId} and id = ${id} and review_status is not null
    returning ${sql.unsafe(REPORT_COLUMNS)}`;
  return row;
}
