import { ProviderError } from '../channels/provider-errors';
import type { SmsChannel } from '../channels/sms-channel';
import type { ContactKeys } from '../core/contact-key';
import type { Sql } from '../db/client';
import {
  type ClaimedSend,
  claimDueSends,
  clearWakeup,
  markSent,
  markUnsent,
  roundActivity,
  surveyAgenda,
} from '../db/survey-sends';
import {
  applyStep,
  closeCampaignSessions,
  dueSessions,
  openRoundSessions,
  sessionState,
  surveyCampaign,
} from '../db/survey-sessions';
import { nextSendableTime } from '../domain/quiet-hours';
import { onTimeout, questionOf, sendText } from '../domain/survey-flow';
import { questionTimeoutMs, type Survey } from '../domain/survey-schema';
import { forEachConcurrent } from './concurrency';
import { withProviderRetries } from './provider-retry';

export interface SurveyActivityDeps {
  sql: Sql;
  sms: SmsChannel;
  publicBaseUrl: string;
  clock: () => Date;
  suppressionKeys: ContactKeys;
  /** Sends in flight at once within a tick (the provider's rate limit still applies per call: 429s wait). */
  concurrency?: number;
}

export interface SurveyTickInput {
  campaignId: string;
  /** Also open conversations for first questions the rounds delivered since (a sweep over deliveries). */
  materialize: boolean;
  /** How soon to sweep again while a round is going out (ms). */
  sweepEveryMs: number;
}

/** What a tick did (counts only) and when the next one is needed (RFC 3339), or that the survey is over. */
export interface SurveyTickResult {
  finished: boolean;
  nextDueAt: string | null;
  /** When to sweep deliveries next: soon while a round goes out, else just after the next round starts. */
  sweepAt: string | null;
  opened: number;
  timedOut: number;
  sent: number;
  skipped: number;
}

const TERMINAL = new Set(['completed', 'cancelled', 'closed']);
const TIMEOUT_BATCH = 500;
const SEND_BATCH = 200;
// Rows left 'sending' this long were claimed by a tick that died: ask the provider before resending.
const STALE_CLAIM_MS = 2 * 60_000;
// One tick sends for at most this long, then returns so the workflow records progress.
const TICK_BUDGET_MS = 20_000;

export function createSurveyActivities(deps: SurveyActivityDeps) {
  const { sql } = deps;
  const statusCallback = `${deps.publicBaseUrl}/v1/webhooks/twilio/status`;
  const scope = deps.suppressionKeys.scope.sms;

  async function timeouts(
    campaign: { id: string; quietHours: boolean; window: { start: string; end: string }; survey: Survey },
    now: Date,
  ) {
    return sql.begin(async (tx) => {
      const due = await dueSessions(tx, campaign.id, now, TIMEOUT_BATCH);
      for (const row of due) {
        const step = onTimeout(campaign.survey, sessionState(row), now.getTime());
        const sendAt = step.send
          ? campaign.quietHours
            ? nextSendableTime(now, row.timezone ?? 'UTC', campaign.window)
            : now
          : null;
        await applyStep(tx, row, step, { now, sendAt });
      }
      return due.length;
    });
  }

  async function suppressed(phones: string[]): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const keys = phones.map((p) => deps.suppressionKeys.keyOf('sms', p));
    const rows = await sql<{ contact_key: string }[]>`
      select contact_key from suppressions where channel = 'sms' and scope = ${scope} and contact_key = any(${keys}::text[])`;
    const hit = new Set(rows.map((r) => r.contact_key));
    return new Set(phones.filter((_phone, i) => hit.has(keys[i]!)));
  }

  async function sendOne(
    survey: Survey,
    send: ClaimedSend,
    blocked: Set<string>,
  ): Promise<'sent' | 'skipped'> {
    const now = deps.clock();
    const timeoutMs = send.kind === 'thanks' ? null : questionTimeoutMs(questionOf(survey, send.questionKey));
    if (!send.current || !send.reachable || !send.phone || blocked.has(send.phone)) {
      await markUnsent(sql, send, { status: 'skipped', now, timeoutMs });
      return 'skipped';
    }
    const body = sendText(survey, send, send.locale);
    if (send.reclaimed && send.claimedAt) {
      const since = new Date(send.claimedAt.getTime() - 60_000);
      const earlier = (await deps.sms.listSentTo({ to: send.phone, since })).find((m) => m.body === body);
      if (earlier) {
        await markSent(sql, send, { providerId: earlier.providerId, segments: null, now, timeoutMs });
        return 'sent';
      }
    }
    try {
      const result = await withProviderRetries(() =>
        deps.sms.send({ to: send.phone!, body, statusCallback }),
      );
      await markSent(sql, send, {
        providerId: result.providerId,
        segments: result.segments ?? null,
        now,
        timeoutMs,
      });
      return 'sent';
    } catch (err) {
      if (err instanceof ProviderError && err.kind === 'permanent') {
        await markUnsent(sql, send, {
          status: 'failed',
          errorCode: String(err.code ?? 'permanent'),
          now,
          timeoutMs,
        });
        return 'skipped';
      }
      throw err;
    }
  }

  return {
    /**
     * One pass over a monitoring campaign's conversations: open those its rounds started, end or
     * remind those whose wait is over, send what is due. Idempotent; counts only, never text.
     */
    async surveyTick(input: SurveyTickInput): Promise<SurveyTickResult> {
      const started = Date.now();
      const now = deps.clock();
      const campaign = await surveyCampaign(sql, input.campaignId);
      const result: SurveyTickResult = {
        finished: false,
        nextDueAt: null,
        sweepAt: null,
        opened: 0,
        timedOut: 0,
        sent: 0,
        skipped: 0,
      };
      if (!campaign) return { ...result, finished: true };
      const over = TERMINAL.has(campaign.status);
      if (input.materialize || over)
        result.opened = await openRoundSessions(sql, { campaignId: campaign.id });
      if (campaign.status === 'cancelled') await closeCampaignSessions(sql, campaign.id, now);
      // Before claiming: a reply committed after this asks for (and signals) the next tick.
      await clearWakeup(sql, campaign.id);
      result.timedOut = await timeouts(campaign, now);
      while (Date.now() - started < TICK_BUDGET_MS) {
        const batch = await claimDueSends(sql, campaign.id, deps.clock(), {
          limit: SEND_BATCH,
          staleMs: STALE_CLAIM_MS,
        });
        if (batch.length === 0) break;
        const blocked = await suppressed(batch.flatMap((b) => (b.phone ? [b.phone] : [])));
        await forEachConcurrent(batch, deps.concurrency ?? 8, async (send) => {
          const outcome = await sendOne(campaign.survey, send, blocked);
          result[outcome === 'sent' ? 'sent' : 'skipped'] += 1;
        });
      }
      const agenda = await surveyAgenda(sql, campaign.id);
      result.nextDueAt = agenda.nextDueAt?.toISOString() ?? null;
      result.finished = over && agenda.open === 0 && agenda.pending === 0;
      const rounds = await roundActivity(sql, campaign.id);
      const soon = Date.now() + input.sweepEveryMs;
      result.sweepAt = rounds.active
        ? new Date(soon).toISOString()
        : rounds.nextAt
          ? new Date(Math.max(soon, rounds.nextAt.getTime() + input.sweepEveryMs)).toISOString()
          : null;
      return result;
    },
  };
}
