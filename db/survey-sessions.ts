import type { Step } from '../domain/survey-flow';
import { type Survey, surveySchema } from '../domain/survey-schema';
import type { Queryable } from './queryable';

/** A monitoring campaign as the conversation code needs it; the survey is re-validated on read. */
export interface SurveyCampaign {
  id: string;
  orgId: string;
  status: string;
  survey: Survey;
  quietHours: boolean;
  window: { start: string; end: string };
}

export async function surveyCampaign(
  sql: Queryable,
  campaignId: string,
): Promise<SurveyCampaign | undefined> {
  const [row] = await sql<SurveyCampaignRow[]>`
    select c.id, c.org_id, c.status, c.definition, o.quiet_start::text as qs, o.quiet_end::text as qe
    from campaigns c join organizations o on o.id = c.org_id
    where c.id = ${campaignId} and c.kind = 'monitoring'`;
  return row && toSurveyCampaign(row);
}

/** A monitoring campaign's row as surveyCampaign (and db/survey-reply.ts) read it. */
export interface SurveyCampaignRow {
  id: string;
  org_id: string;
  status: string;
  definition: Record<string, unknown>;
  /** The organization's quiet hours, `HH:MM:SS`. */
  qs: string;
  qe: string;
}

/** The campaign as the conversation code needs it; undefined when its survey no longer parses. */
export function toSurveyCampaign(row: SurveyCampaignRow): SurveyCampaign | undefined {
  const survey = surveySchema.safeParse(row.definition.survey);
  if (!survey.success) return undefined;
  const options = (row.definition.options ?? {}) as { quietHours?: boolean };
  return {
    id: row.id,
    orgId: row.org_id,
    status: row.status,
    survey: survey.data,
    quietHours: options.quietHours !== false,
    window: { start: row.qs.slice(0, 5), end: row.qe.slice(0, 5) },
  };
}

/**
 * Opens a conversation for every first question a round has delivered (`round-N` stage runs of
 * monitoring campaigns, SMS accepted), once, for the given campaign or supporters; then leaves
 * older open conversations of the same supporters superseded (the most recent survey wins).
 * Returns how many were opened.
 */
export async function openRoundSessions(
  sql: Queryable,
  scope: { campaignId: string } | { supporterIds: string[] },
): Promise<number> {
  const byCampaign = 'campaignId' in scope ? scope.campaignId : null;
  const bySupporters = 'supporterIds' in scope ? scope.supporterIds : null;
  const rows = await sql<{ supporter_id: string; had_open: boolean }[]>`
    with delivered as (
      select d.org_id, r.campaign_id, d.supporter_id, d.updated_at,
        substring(r.stage_key from '^round-([0-9]+)$')::int as round, c.definition
      from deliveries d
      join stage_runs r on r.id = d.stage_run_id and r.org_id = d.org_id
      join campaigns c on c.id = r.campaign_id and c.org_id = r.org_id and c.kind = 'monitoring'
      where d.channel = 'sms' and d.status in ('accepted', 'sent', 'delivered')
        and r.stage_key ~ '^round-[0-9]+$'
        and (${byCampaign}::uuid is null or r.campaign_id = ${byCampaign}::uuid)
        and (${bySupporters}::uuid[] is null or d.supporter_id = any(${bySupporters}::uuid[]))
        -- Conversations already opened are left alone: a sweep or a reply writes nothing for them.
        and not exists (
          select 1 from survey_respondents x join survey_sessions y on y.respondent_id = x.id
          where x.campaign_id = r.campaign_id and x.supporter_id = d.supporter_id
            and y.round = substring(r.stage_key from '^round-([0-9]+)$')::int)
    ),
    respondents as (
      insert into survey_respondents (org_id, campaign_id, supporter_id)
      select distinct org_id, campaign_id, supporter_id from delivered
      on conflict (campaign_id, supporter_id) do update set supporter_id = excluded.supporter_id
      returning id, campaign_id, supporter_id
    ),
    opened as (
      insert into survey_sessions (org_id, campaign_id, respondent_id, round, status, question_key, asked_at, due_at)
      select d.org_id, d.campaign_id, p.id, d.round, 'open', d.definition->'survey'->'questions'->0->>'key',
        least(d.updated_at, now()),
        least(d.updated_at, now()) + coalesce((d.definition->'survey'->'questions'->0->>'timeout')::interval, interval '2 days')
      from delivered d join respondents p on p.campaign_id = d.campaign_id and p.supporter_id = d.supporter_id
      on conflict (respondent_id, round) do nothing
      returning respondent_id
    )
    select p.supporter_id,
      -- Read before this statement's inserts: an open conversation the new one may supersede.
      exists (
        select 1 from survey_sessions y join survey_respondents x on x.id = y.respondent_id
        where x.supporter_id = p.supporter_id and y.status = 'open') as had_open
    from opened o join respondents p on p.id = o.respondent_id`;
  // Only a supporter with two open conversations now needs the older ones closed (one more statement).
  const opened = rows.map((r) => r.supporter_id);
  const crowded = [...new Set(opened.filter((id, i) => rows[i]!.had_open || opened.indexOf(id) !== i))];
  if (crowded.length > 0) await supersedeOlder(sql, crowded);
  return rows.length;
}

/** Leaves open every supporter's newest conversation only. */
async function supersedeOlder(sql: Queryable, supporterIds: string[]): Promise<void> {
  await sql`
    with ranked as (
      select s.id, row_number() over (partition by r.supporter_id order by s.asked_at desc, s.id desc) as n
      from survey_sessions s join survey_respondents r on r.id = s.respondent_id
      where r.supporter_id = any(${supporterIds}::uuid[]) and s.status = 'open'
    )
    update survey_sessions s set status = 'superseded', due_at = null, finished_at = now()
    from ranked where ranked.id = s.id and ranked.n > 1`;
}

export interface SessionRow {
  id: string;
  org_id: string;
  campaign_id: string;
  respondent_id: string;
  round: number;
  status: Step['state']['status'];
  question_key: string;
  asked_at: Date;
  reasked: boolean;
  reminded: boolean;
  /** The supporter's time zone for quiet hours (null once erased). */
  timezone: string | null;
}

/** Sessions whose wait ended by `now`, locked (others skip them), at most `limit`. */
export async function dueSessions(
  sql: Queryable,
  campaignId: string,
  now: Date,
  limit: number,
): Promise<SessionRow[]> {
  return sql<SessionRow[]>`
    select s.id, s.org_id, s.campaign_id, s.respondent_id, s.round, s.status, s.question_key, s.asked_at,
      s.reasked, s.reminded, p.timezone
    from survey_sessions s join survey_respondents r on r.id = s.respondent_id
    left join supporters p on p.id = r.supporter_id
    where s.campaign_id = ${campaignId} and s.status = 'open' and s.due_at <= ${now}
    order by s.due_at limit ${limit}
    for update of s skip locked`;
}

/** The pure state of a session row (domain/survey-flow.ts). */
export const sessionState = (row: SessionRow): Step['state'] => ({
  status: row.status,
  questionKey: row.question_key,
  askedAt: row.asked_at.getTime(),
  reasked: row.reasked,
  reminded: row.reminded,
});

/**
 * Writes a step: the session's new state, the answer (a free-text one enters review as pending),
 * and what to send at `sendAt`. The session waits for no timeout while a send is pending.
 * One statement; returns the queued send's id (none when nothing is sent or it was queued before).
 */
export async function applyStep(
  sql: Queryable,
  session: SessionRow,
  step: Step,
  opts: { now: Date; sendAt: Date | null },
): Promise<{ sendId?: string }> {
  const [row] = await sql<{ send_id: string | null }[]>`
    with ${stepStatements(sql, session, step, opts)}
    select (select id from queued) as send_id`;
  return row?.send_id ? { sendId: row.send_id } : {};
}

/**
 * A step's writes as the CTEs `stepped` (the session), `answered` (the answer, on conflict
 * nothing) and `queued` (the send's id, empty when nothing new is queued), for a statement that
 * begins `with` them (applyStep, db/survey-reply.ts).
 */
export function stepStatements(
  sql: Queryable,
  session: SessionRow,
  step: Step,
  opts: { now: Date; sendAt: Date | null },
) {
  const st = step.state;
  const finished = st.status !== 'open';
  const v = step.answer?.value;
  const answered =
    step.answer && v
      ? sql`
      insert into survey_answers (org_id, campaign_id, respondent_id, session_id, round, question_key,
        answer_type, choice, number_value, text_value, answered_at, review_status)
      values (${session.org_id}, ${session.campaign_id}, ${session.respondent_id}, ${session.id}, ${session.round},
        ${step.answer.questionKey}, ${v.type}, ${v.type === 'choice' || v.type === 'yes_no' ? v.choice : null},
        ${v.type === 'number' ? v.number : null}, ${v.type === 'text' ? v.text : null}, ${opts.now},
        ${v.type === 'text' ? 'pending' : null})
      on conflict (session_id, question_key) do nothing
      returning id`
      : sql`select null::bigint as id where false`;
  const queued =
    step.send && opts.sendAt
      ? sql`
      insert into survey_sends (org_id, campaign_id, session_id, question_key, kind, due_at)
      values (${session.org_id}, ${session.campaign_id}, ${session.id}, ${step.send.questionKey}, ${step.send.kind}, ${opts.sendAt})
      on conflict (session_id, question_key, kind) do nothing
      returning id`
      : sql`select null::bigint as id where false`;
  return sql`
    stepped as (
      update survey_sessions set status = ${st.status}, question_key = ${st.questionKey},
        asked_at = ${new Date(st.askedAt)}, reasked = ${st.reasked}, reminded = ${st.reminded},
        due_at = null, finished_at = ${finished ? opts.now : null}
      where id = ${session.id}
      returning id),
    answered as (${answered}),
    queued as (${queued})`;
}

/** STOP: the conversation ends here (the opt-out itself is the ordinary keyword handling). */
export async function stopSession(sql: Queryable, sessionId: string, now: Date): Promise<void> {
  await sql`
    update survey_sessions set status = 'stopped', due_at = null, finished_at = ${now}
    where id = ${sessionId} and status = 'open'`;
  await sql`update survey_sends set status = 'skipped' where session_id = ${sessionId} and status = 'pending'`;
}

/** A cancelled campaign asks nothing more: every open conversation is left incomplete. */
export async function closeCampaignSessions(sql: Queryable, campaignId: string, now: Date): Promise<number> {
  const rows = await sql`
    update survey_sessions set status = 'incomplete', due_at = null, finished_at = ${now}
    where campaign_id = ${campaignId} and status = 'open'`;
  await sql`update survey_sends set status = 'skipped' where campaign_id = ${campaignId} and status = 'pending'`;
  return rows.count;
}

/** Erasure: the supporter's respondents lose their only link; the answers stay, unattributable. */
export async function unlinkRespondents(sql: Queryable, orgId: string, supporterId: string): Promise<number> {
  const rows = await sql`
    update survey_respondents set supporter_id = null
    where org_id = ${orgId} and supporter_id = ${supporterId}`;
  return rows.count;
}
