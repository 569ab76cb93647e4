import { Context } from '@temporalio/activity';
import { ProviderError } from '../channels/provider-errors';
import type { SmsChannel } from '../channels/sms-channel';
import type { ContactKeys } from '../core/contact-key';
import type { Sql } from '../db/client';
import {
  type ClaimedSend,
  claimDueSends,
  clearWakeup,
  holdWakeup,
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
import { createPacer, type Pacer } from './pacer';
import { withProviderRetries } from './provider-retry';
import { createSendNotifier, type SendNotifier } from './survey-notify';

export interface SurveyActivityDeps {
  sql: Sql;
  sms: SmsChannel;
  publicBaseUrl: string;
  clock: () => Date;
  suppressionKeys: ContactKeys;
  /** Sends in flight at once within a tick or pump. */
  concurrency?: number;
  /**
   * The process's SMS pacer, shared with the stage deliveries (activities/delivery-sms.ts), so
   * survey sends and pages together keep to SMS_RATE_PER_SEC; without it, `ratePerSec` paces alone.
   */
  pacer?: Pacer;
  ratePerSec?: number;
  /** Where pumps hear of sends due now (default: LISTEN on `sql`). */
  notifier?: SendNotifier;
}

export interface SurveyPumpInput {
  campaignId: string;
  /** The longest the pump runs, ms (the workflow's next tick: a timeout, a sweep or its cap). */
  forMs: number;
  /** Returns after this long without a send, ms. */
  idleMs: number;
}

/** What a pump sent (counts only). */
export interface SurveyPumpResult {
  sent: number;
  skipped: number;
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

// A pump looks for due sends at least this often, notified or not (quiet-hours sends, a lost notification).
const PUMP_POLL_MS = 1_000;
// How often a pump re-reads the campaign's status.
const STATUS_CHECK_MS = 5_000;

/** The current activity's heartbeat, when there is one (a shared pacer waits in several activities). */
export function activityHeartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // not in an activity
  }
}

export function createSurveyActivities(deps: SurveyActivityDeps) {
  const { sql } = deps;
  const pace = deps.pacer ?? createPacer(deps.ratePerSec ?? 50, { tick: activityHeartbeat });
  let notifier = deps.notifier;
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
      // Each attempt waits its turn under the SMS rate limit and counts against it until answered.
      const result = await withProviderRetries(
        () => pace.track(() => deps.sms.send({ to: send.phone!, body, statusCallback })),
        { onRateLimited: (ms) => pace.holdFor(ms) },
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

  /** Claims one batch of due sends and sends it; returns how many were claimed. */
  async function sendBatch(
    campaign: { id: string; survey: Survey },
    counts: { sent: number; skipped: number },
  ): Promise<number> {
    const batch = await claimDueSends(sql, campaign.id, deps.clock(), {
      limit: SEND_BATCH,
      staleMs: STALE_CLAIM_MS,
    });
    if (batch.length === 0) return 0;
    const blocked = await suppressed(batch.flatMap((b) => (b.phone ? [b.phone] : [])));
    await forEachConcurrent(batch, deps.concurrency ?? 8, async (send) => {
      const outcome = await sendOne(campaign.survey, send, blocked);
      counts[outcome === 'sent' ? 'sent' : 'skipped'] += 1;
    });
    return batch.length;
  }

  return {
    /**
     * Sends a campaign's survey messages as replies queue them, for up to `forMs`: the inbound
     * webhook notifies at commit (LISTEN survey_sends), and due sends are also looked for every
     * second. While it runs, replies do not wake the workflow (survey_wakeups); the workflow ticks
     * when it returns. Sends are claimed as in a tick (`sending`, skip locked), so a retried or
     * overlapping pump never sends a message twice. Returns after `idleMs` without a send, at
     * cancellation, or when the campaign is over. Counts only, never text.
     */
    async surveyPump(input: SurveyPumpInput): Promise<SurveyPumpResult> {
      const counts = { sent: 0, skipped: 0 };
      const campaign = await surveyCampaign(sql, input.campaignId);
      if (!campaign || TERMINAL.has(campaign.status)) return counts;
      notifier ??= createSendNotifier(sql);
      const sub = await notifier.subscribe(campaign.id);
      const signal = Context.current().cancellationSignal;
      try {
        // Subscribed first: a reply committed after this is heard, one committed before is claimed below.
        await holdWakeup(sql, campaign.orgId, campaign.id);
        const started = Date.now();
        let lastSend = started;
        let checked = started;
        while (!signal.aborted && Date.now() - started < input.forMs) {
          activityHeartbeat();
          if (Date.now() - checked >= STATUS_CHECK_MS) {
            // A cancelled or closed campaign is the tick's to wind up.
            checked = Date.now();
            const now = await surveyCampaign(sql, campaign.id);
            if (!now || TERMINAL.has(now.status)) break;
          }
          if ((await sendBatch(campaign, counts)) > 0) {
            lastSend = Date.now();
            continue;
          }
          if (Date.now() - lastSend >= input.idleMs) break;
          const left = input.forMs - (Date.now() - started);
          await sub.wait(Math.min(PUMP_POLL_MS, left), signal);
        }
        return counts;
      } finally {
        sub.close();
      }
    },

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
        if ((await sendBatch(campaign, result)) === 0) break;
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
