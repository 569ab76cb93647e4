import type { Sql } from '../db/client';

/**
 * How the survey phase's replies ended, counted apart: a post the bench could not make, a
 * non-2xx from the sandbox (502: the API did not answer in time), a non-2xx from the API's
 * webhook (its status is in the sandbox's answer), and the webhook answers that were 2xx.
 */
export interface ReplyPosts {
  posted: number;
  /** The bench's POST to /sandbox/inbound failed (network error). */
  postFailed: number;
  /** /sandbox/inbound answered non-2xx (the sandbox could not reach the API, or the input was refused), by reason. */
  sandboxNon2xx: Record<string, number>;
  /** The API's inbound webhook answered non-2xx, by status. */
  webhookNon2xx: Record<string, number>;
  /** The API's inbound webhook answered 2xx: the reply was recorded. */
  webhookOk: number;
  /** From posting a reply to the webhook's answer reaching the bench (ms), over all answered posts. */
  answerMs: { p50: number; p95: number; max: number };
}

/** Posts replies without waiting for them (the rate holds whatever the API's answer time) and counts how they end. */
export function replyPosts() {
  const counts: ReplyPosts = {
    posted: 0,
    postFailed: 0,
    sandboxNon2xx: {},
    webhookNon2xx: {},
    webhookOk: 0,
    answerMs: { p50: 0, p95: 0, max: 0 },
  };
  const inFlight = new Set<Promise<void>>();
  const times: number[] = [];
  const one = async (sandboxUrl: string, from: string, body: string) => {
    const t0 = Date.now();
    try {
      const res = await fetch(`${sandboxUrl}/sandbox/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from, body }),
      });
      const text = await res.text();
      times.push(Date.now() - t0);
      if (!res.ok) {
        const detail = (JSON.parse(text) as { detail?: string }).detail ?? String(res.status);
        const reason = detail.replace(/^posting the inbound message failed: /, '');
        counts.sandboxNon2xx[reason] = (counts.sandboxNon2xx[reason] ?? 0) + 1;
        return;
      }
      const status = (JSON.parse(text) as { status?: number }).status ?? 0;
      if (status >= 200 && status < 300) counts.webhookOk++;
      else counts.webhookNon2xx[String(status)] = (counts.webhookNon2xx[String(status)] ?? 0) + 1;
    } catch {
      counts.postFailed++;
    }
  };
  return {
    counts,
    post(sandboxUrl: string, from: string, body: string): void {
      counts.posted++;
      const p = one(sandboxUrl, from, body).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    /** Resolves when every post has an answer. */
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      const sorted = [...times].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
      counts.answerMs = { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
    },
  };
}

/** Where the conversations of respondents who stopped getting messages stand, counted by cause. */
export interface LostReplyTrace {
  respondents: number;
  /** Cause → respondents; see traceLostReplies. */
  causes: Record<string, number>;
}

/**
 * For each phone whose last reply was not followed by a message, what the database says:
 * `no_conversation` (no session: the reply went to ordinary keyword handling), `inbound_as_keyword`
 * (a reply was recorded as an ordinary inbound message of the supporter), `reasked` (a reply was not
 * understood), `send_<status>` (the next message is queued but not sent), `session_<status>`
 * (the conversation ended), or `nothing_recorded`.
 */
export async function traceLostReplies(
  sql: Sql,
  campaignId: string,
  phones: string[],
): Promise<LostReplyTrace> {
  const causes: Record<string, number> = {};
  if (phones.length === 0) return { respondents: 0, causes };
  const rows = await sql<
    {
      phone: string;
      session_status: string | null;
      reasked: boolean | null;
      open_sends: string | null;
      keyword_inbound: number;
    }[]
  >`
    select p.phone, s.status as session_status, s.reasked,
      (select string_agg(x.status, ',') from survey_sends x where x.session_id = s.id and x.status <> 'sent') as open_sends,
      (select count(*)::int from inbound_messages m where m.supporter_id = p.id) as keyword_inbound
    from supporters p
    join campaigns c on c.id = ${campaignId} and c.org_id = p.org_id
    left join survey_respondents r on r.campaign_id = c.id and r.supporter_id = p.id
    left join survey_sessions s on s.respondent_id = r.id
    where p.phone = any(${phones}::text[])`;
  for (const r of rows) {
    const cause =
      r.keyword_inbound > 0
        ? 'inbound_as_keyword'
        : r.session_status === null
          ? 'no_conversation'
          : r.open_sends
            ? `send_${r.open_sends}`
            : r.reasked
              ? 'reasked'
              : r.session_status !== 'open'
                ? `session_${r.session_status}`
                : 'nothing_recorded';
    causes[cause] = (causes[cause] ?? 0) + 1;
  }
  return { respondents: rows.length, causes };
}
