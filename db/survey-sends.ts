import type { SendKind } from '../domain/survey-flow';
import type { Sql } from './client';
import type { Queryable } from './queryable';

/** A send ready to go out: whom (read at send time, never stored here), in which language, and what. */
export interface ClaimedSend {
  id: string;
  sessionId: string;
  questionKey: string;
  kind: SendKind;
  /** The session is still on this question (or, for thanks, completed): otherwise the send is stale. */
  current: boolean;
  phone: string | null;
  locale: 'en' | 'km';
  timezone: string;
  /** Consent, opt-out, suppression reason and erasure, as the supporter record says now. */
  reachable: boolean;
  /** A claim older than the reconcile margin: the provider may have taken it before a crash. */
  reclaimed: boolean;
  claimedAt: Date | null;
}

/**
 * Claims due sends of a campaign (pending, or left `sending` by a crash more than `staleMs` ago),
 * marking them `sending` now. Rows another tick holds are skipped.
 */
export async function claimDueSends(
  sql: Queryable,
  campaignId: string,
  now: Date,
  opts: { limit: number; staleMs: number },
): Promise<ClaimedSend[]> {
  const stale = new Date(now.getTime() - opts.staleMs);
  const rows = await sql<
    {
      id: string;
      session_id: string;
      question_key: string;
      kind: SendKind;
      previous_claim: Date | null;
      status: string;
      session_status: string;
      session_question: string;
      phone: string | null;
      locale: 'en' | 'km' | null;
      timezone: string | null;
      reachable: boolean | null;
    }[]
  >`
    with due as (
      select id, claimed_at from survey_sends
      where campaign_id = ${campaignId} and due_at <= ${now}
        and (status = 'pending' or (status = 'sending' and claimed_at < ${stale}))
      order by due_at, id limit ${opts.limit}
      for update skip locked
    ),
    claimed as (
      update survey_sends x set status = 'sending', claimed_at = ${now}
      from due where due.id = x.id
      returning x.id, x.session_id, x.question_key, x.kind, due.claimed_at as previous_claim
    )
    select c.id, c.session_id, c.question_key, c.kind, c.previous_claim,
      s.status as session_status, s.question_key as session_question,
      p.phone, p.locale, p.timezone,
      (p.sms_consent and p.sms_opted_out_at is null and p.sms_suppressed_reason is null and p.erased_at is null) as reachable
    from claimed c
    join survey_sessions s on s.id = c.session_id
    join survey_respondents r on r.id = s.respondent_id
    left join supporters p on p.id = r.supporter_id and p.org_id = r.org_id`;
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    questionKey: r.question_key,
    kind: r.kind,
    current:
      r.kind === 'thanks'
        ? r.session_status === 'completed'
        : r.session_status === 'open' && r.session_question === r.question_key,
    phone: r.phone,
    locale: r.locale ?? 'en',
    timezone: r.timezone ?? 'UTC',
    reachable: r.reachable === true && r.phone !== null,
    reclaimed: r.previous_claim !== null,
    claimedAt: r.previous_claim,
  }));
}

/** The provider took it: the session's timeout runs from now (a question held for the morning waits then). */
export async function markSent(
  sql: Queryable,
  send: ClaimedSend,
  result: { providerId: string; segments: number | null; now: Date; timeoutMs: number | null },
): Promise<void> {
  await sql`
    update survey_sends set status = 'sent', provider_id = ${result.providerId}, segments = ${result.segments},
      sent_at = ${result.now}
    where id = ${send.id}`;
  if (result.timeoutMs === null) return;
  await sql`
    update survey_sessions set asked_at = ${result.now}, due_at = ${new Date(result.now.getTime() + result.timeoutMs)}
    where id = ${send.sessionId} and status = 'open' and question_key = ${send.questionKey}`;
}

/**
 * Not sent: stale (the conversation moved on), unreachable (opted out, erased) or refused for good.
 * An open session on this question still times out, so an unreachable respondent ends incomplete.
 */
export async function markUnsent(
  sql: Queryable,
  send: ClaimedSend,
  outcome: { status: 'skipped' | 'failed'; errorCode?: string; now: Date; timeoutMs: number | null },
): Promise<void> {
  await sql`update survey_sends set status = ${outcome.status}, error_code = ${outcome.errorCode ?? null} where id = ${send.id}`;
  if (outcome.timeoutMs === null || !send.current) return;
  await sql`
    update survey_sessions set due_at = ${new Date(outcome.now.getTime() + outcome.timeoutMs)}
    where id = ${send.sessionId} and status = 'open' and question_key = ${send.questionKey} and due_at is null`;
}

/** The earliest moment something is due (a send or a timeout), and whether anything is still open. */
export async function surveyAgenda(
  sql: Queryable,
  campaignId: string,
): Promise<{ nextDueAt: Date | null; open: number; pending: number }> {
  const [row] = await sql<
    { send_due: Date | null; session_due: Date | null; open: number; pending: number }[]
  >`
    select
      (select min(due_at) from survey_sends where campaign_id = ${campaignId} and status in ('pending', 'sending')) as send_due,
      (select min(due_at) from survey_sessions where campaign_id = ${campaignId} and status = 'open') as session_due,
      (select count(*)::int from survey_sessions where campaign_id = ${campaignId} and status = 'open') as open,
      (select count(*)::int from survey_sends where campaign_id = ${campaignId} and status in ('pending', 'sending')) as pending`;
  const dues = [row?.send_due, row?.session_due].filter((d): d is Date => d instanceof Date);
  return {
    nextDueAt: dues.length ? new Date(Math.min(...dues.map((d) => d.getTime()))) : null,
    open: row?.open ?? 0,
    pending: row?.pending ?? 0,
  };
}

/** Whether a round is going out (or finished moments ago), and when the campaign's next round starts. */
export async function roundActivity(
  sql: Queryable,
  campaignId: string,
): Promise<{ active: boolean; nextAt: Date | null }> {
  // A round counts as going out before its stage run row exists: once the campaign workflow starts a
  // round, the campaign's next stage is the following round, days away; and before it first marks the
  // campaign (still `scheduled`, both columns empty) there is no next stage at all. Either way the
  // sweep would otherwise wait for the workflow's longest sleep (an hour) to open silent conversations.
  const [row] = await sql<{ active: boolean; next_at: Date | null }[]>`
    select exists (select 1 from stage_runs where campaign_id = ${campaignId} and stage_key ~ '^round-[0-9]+$'
        and (status in ('pending', 'running') or finished_at > now() - interval '5 minutes'))
        or coalesce(c.current_stage ~ '^round-[0-9]+$', false)
        or (c.status = 'scheduled' and c.next_stage_at is null) as active,
      c.next_stage_at as next_at
    from campaigns c where c.id = ${campaignId}`;
  return { active: row?.active ?? false, nextAt: row?.next_at ?? null };
}

/** The channel on which a committed reply announces a send due now (payload: the campaign id). */
export const SURVEY_SENDS_CHANNEL = 'survey_sends';

/**
 * Advisory lock namespace of survey wake-ups (the second key is hashtext(campaign id)). A reply that
 * queued a send asks for a wake-up (db/survey-reply.ts answerQuestion): true when the survey
 * workflow must be woken (no wake-up is pending since its last tick began), so a burst of replies
 * costs one signal, not one each. Replies hold this lock shared until they commit, so they do not
 * queue behind each other; a tick's clearWakeup takes it exclusively, so a reply either sees the
 * cleared row (and signals) or commits before the tick claims (and is sent by it). Only the first
 * reply after a clear writes the row.
 */
export const WAKEUP_LOCK = 160_016;

/**
 * A sender is running for this campaign (the survey workflow's pump): replies need not wake the
 * workflow, the sender hears them. The workflow's next tick clears it (clearWakeup).
 */
export async function holdWakeup(sql: Queryable, orgId: string, campaignId: string): Promise<void> {
  await sql`
    insert into survey_wakeups (campaign_id, org_id, nudged_at) values (${campaignId}, ${orgId}, now())
    on conflict (campaign_id) do update set nudged_at = now()`;
}

/** A tick begins: replies committed from now on ask for a new wake-up. */
export async function clearWakeup(sql: Sql, campaignId: string): Promise<void> {
  await sql.begin(async (tx) => {
    // Waits for replies in flight (db/survey-reply.ts): what they queued is claimed after this.
    await tx`select pg_advisory_xact_lock(${WAKEUP_LOCK}, hashtext(${campaignId}))`;
    await tx`update survey_wakeups set nudged_at = null where campaign_id = ${campaignId}`;
  });
}
