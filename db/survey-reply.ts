import type { Step } from '../domain/survey-flow';
import type { Queryable } from './queryable';
import { SURVEY_SENDS_CHANNEL, WAKEUP_LOCK } from './survey-sends';
import {
  type SessionRow,
  type SurveyCampaign,
  type SurveyCampaignRow,
  stepStatements,
  toSurveyCampaign,
} from './survey-sessions';

// The inbound webhook's side of a survey conversation, in as few statements as the API pool can
// afford at a crowd's reply rate: the open question with its campaign, then the answer with its
// next question and the workflow's wake-up. Exactly once rests on the caller's recordInbound
// (one row per MessageSid) and the session row lock taken here.

/** An open question and its campaign (undefined when it is no longer a monitoring survey). */
export interface OpenQuestion extends SessionRow {
  campaign: SurveyCampaign | undefined;
}

/**
 * The open question of any of these supporters (the newest), locked for this transaction, with
 * its campaign and quiet hours; one statement. It also takes the campaign's wake-up lock shared
 * (db/survey-sends.ts WAKEUP_LOCK), so answerQuestion's statement may read the wake-up row: a
 * tick's clearWakeup either committed before (the row reads cleared) or waits for this commit.
 */
export async function openQuestionFor(
  sql: Queryable,
  supporterIds: string[],
): Promise<OpenQuestion | undefined> {
  if (supporterIds.length === 0) return undefined;
  const [row] = await sql<
    (SessionRow & {
      campaign_status: string | null;
      definition: Record<string, unknown> | null;
      qs: string | null;
      qe: string | null;
      locked: string;
    })[]
  >`
    select q.*, pg_advisory_xact_lock_shared(${WAKEUP_LOCK}, hashtext(q.campaign_id::text))::text as locked
    from (
      select s.id, s.org_id, s.campaign_id, s.respondent_id, s.round, s.status, s.question_key, s.asked_at,
        s.reasked, s.reminded, p.timezone,
        c.status as campaign_status, c.definition, o.quiet_start::text as qs, o.quiet_end::text as qe
      from survey_sessions s join survey_respondents r on r.id = s.respondent_id
      join supporters p on p.id = r.supporter_id
      left join campaigns c on c.id = s.campaign_id and c.org_id = s.org_id and c.kind = 'monitoring'
      left join organizations o on o.id = c.org_id
      where r.supporter_id = any(${supporterIds}::uuid[]) and s.status = 'open'
      order by s.asked_at desc, s.id desc limit 1
      for update of s
    ) q`;
  if (!row) return undefined;
  const { campaign_status, definition, qs, qe, locked, ...session } = row;
  void locked;
  const campaignRow: SurveyCampaignRow | undefined =
    campaign_status !== null && definition !== null && qs !== null && qe !== null
      ? { id: row.campaign_id, org_id: row.org_id, status: campaign_status, definition, qs, qe }
      : undefined;
  return { ...session, campaign: campaignRow && toSurveyCampaign(campaignRow) };
}

/**
 * Writes a reply's step (db/survey-sessions.ts stepStatements) and, when it queued a send, asks
 * for the survey workflow's wake-up (only the first reply since the last tick writes the row) and
 * tells a running pump at commit when the send is due now; one statement. Call it in the
 * transaction of openQuestionFor (whose wake-up lock it relies on), after recordInbound found the
 * message fresh. `wake`: the caller must signal the workflow.
 */
export async function answerQuestion(
  sql: Queryable,
  question: OpenQuestion,
  step: Step,
  opts: { now: Date; sendAt: Date | null; notify: boolean },
): Promise<{ sendId?: string; wake: boolean }> {
  const [row] = await sql<{ send_id: string | null; wake: boolean }[]>`
    with ${stepStatements(sql, question, step, opts)},
    woken as (
      insert into survey_wakeups (campaign_id, org_id, nudged_at)
      select ${question.campaign_id}::uuid, ${question.org_id}::uuid, now()
      where exists (select 1 from queued)
        and not exists (
          select 1 from survey_wakeups where campaign_id = ${question.campaign_id} and nudged_at is not null)
      on conflict (campaign_id) do update set nudged_at = now() where survey_wakeups.nudged_at is null
      returning campaign_id)
    select (select id from queued) as send_id, exists (select 1 from woken) as wake,
      case when ${opts.notify}::boolean and exists (select 1 from queued)
        then pg_notify(${SURVEY_SENDS_CHANNEL}, ${question.campaign_id})::text end as notified`;
  return { ...(row?.send_id ? { sendId: row.send_id } : {}), wake: row?.wake ?? false };
}
