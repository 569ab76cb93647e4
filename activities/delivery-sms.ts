import { heartbeat, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ProviderError } from '../channels/provider-errors';
import type { SmsChannel, SmsSendResult } from '../channels/sms-channel';
import type { ContactKeys } from '../core/contact-key';
import { type Logger, silentLogger } from '../core/logger';
import { metrics } from '../core/metrics';
import type { Sql } from '../db/client';
import { optOutChannel, suppressChannel } from '../db/consent';
import { claimSms, deliveryStatuses, mayTextNow } from '../db/delivery-claims';
import {
  type AcceptedWriter,
  acceptedWriter,
  recordDeferred,
  recordExcluded,
  recordFailed,
} from '../db/delivery-rows';
import { type PageResult, pageResult } from '../db/page-result';
import { exclusionFor } from '../db/reachable';
import {
  earliestDeferred,
  loadRecipientPage,
  loadStageRun,
  type Recipient,
  type StageRunInfo,
} from '../db/recipient-page';
import { isSettled, isUnsent } from '../domain/delivery-status';
import { ACTIVITY_FAILURES } from '../domain/failure-types';
import { isTwilioUnsubscribed } from '../domain/provider-codes';
import { nextSendableTime } from '../domain/quiet-hours';
import { createSegmentCounter } from '../domain/sms-segments';
import { coalesce } from './coalesce';
import { forEachConcurrent } from './concurrency';
import { throttledHeartbeat, throwIfCancelled } from './heartbeat';
import { linkToken } from './links';
import { createPacer, type Pacer } from './pacer';
import { withProviderRetries } from './provider-retry';
import { renderSmsFor } from './render';
import type { DeliverPageInput, DeliveryActivities } from './types';

export interface SmsDeliveryDeps {
  sql: Sql;
  /**
   * The pool the send-time consent check (db/delivery-claims.ts mayTextNow) runs on: connectDatabase
   * with genericPlans, since it runs about once a message and planning it against supporters' many
   * indexes cost more than running it. Default: `sql`.
   */
  sendCheckSql?: Sql;
  sms: SmsChannel;
  linkSecret: string;
  publicBaseUrl: string;
  /** Origin of the links in messages (SHORT_LINK_BASE_URL when set); publicBaseUrl when absent. */
  linkBaseUrl?: string;
  ratePerSec: number;
  /** The process's SMS pacer, when other senders share it (survey follow-ups); else one of its own. */
  pacer?: Pacer;
  concurrency: number;
  clock: () => Date;
  /** The suppression list's keys: every claim and every send checks the number against it. */
  suppressionKeys: ContactKeys;
  /** Where each page's decisions are logged (ids and counts only); silent when absent. */
  log?: Logger;
}

// The provider's clock and ours differ, and a message is listed a moment after it was taken.
const RECONCILE_MARGIN_MS = 60_000;
// The workflow's timer and this worker's clock may disagree by a little: wait that out here.
const MAX_CLOCK_WAIT_MS = 30_000;
// Rows claimed ('sending') per statement. A crash leaves at most about two batches claimed but not
// sent; the retry asks the provider about each of them before sending.
const CLAIM_BATCH = 50;

interface PageContext {
  run: StageRunInfo;
  stageRunId: string;
  deferredPass: boolean;
  accepted: AcceptedWriter;
  /** This execution's heartbeat, at most once a second. */
  beat: () => void;
  /** What the page decided, logged when it ends: counts only, never a number or a body. */
  decided: { reconciled: number; deferred: number; optedOutSinceClaim: number; refused: number };
}

export function createSmsDeliveryActivities(deps: SmsDeliveryDeps) {
  const { sql } = deps;
  const log = deps.log ?? silentLogger();
  const segmentsOf = createSegmentCounter();
  const pace = deps.pacer ?? createPacer(deps.ratePerSec, { tick: heartbeat });
  // The delivery id lets a status callback that outruns our write find its row (see recordAccepted).
  const statusCallback = (deliveryId: string) =>
    `${deps.publicBaseUrl}/v1/webhooks/twilio/status?d=${deliveryId}`;

  const scope = deps.suppressionKeys.scope.sms;
  // One query answers every lane that is about to send (see coalesce): the record's consent, and
  // the number's absence from the suppression list (an opt-out the record may not show yet).
  const mayText = coalesce(async (candidates: Candidate[]) => {
    const ok = await mayTextNow(
      deps.sendCheckSql ?? sql,
      scope,
      candidates.map((c) => ({ supporterId: c.r.supporterId, key: c.key })),
    );
    return new Map(candidates.filter((c) => ok.has(c.r.supporterId)).map((c) => [c, true]));
  });

  /** Twilio has no idempotency key: the provider's own list says whether it already took this message. */
  async function findSent(to: string, body: string, since: Date): Promise<string | undefined> {
    const sent = await withProviderRetries(() => deps.sms.listSentTo({ to, since }), {
      onRateLimited: (ms) => pace.holdFor(ms),
    });
    return sent.find((m) => m.body === body)?.providerId;
  }

  interface Candidate {
    r: Recipient;
    phone: string;
    body: string;
    token: string;
    /** The phone's suppression-list key. */
    key: string;
  }

  /**
   * What to do with one recipient before any claim: nothing (settled, or already handled here),
   * exclude it (pushed to `excluded`), defer it, or send it (returned).
   */
  async function decide(
    page: PageContext,
    r: Recipient,
    excluded: Array<{ supporterId: string; token: string; reason: string }>,
  ): Promise<Candidate | undefined> {
    const { run, stageRunId } = page;
    if (r.deliveryStatus && isSettled(r.deliveryStatus)) return;
    if (r.deliveryStatus === 'deferred' && !page.deferredPass) return;
    const key = { stageRunId, supporterId: r.supporterId, channel: 'sms' as const };
    // A row already written keeps its token (a longer one from before issue 22): the body must match it.
    const token = r.linkToken ?? linkToken(deps.linkSecret, key);
    const body = renderSmsFor(run, r, token, deps.linkBaseUrl ?? deps.publicBaseUrl);
    // A crash may have come between the provider's accept and our write: ask the provider before
    // anything else, so a message that went out is recorded even if consent or the hour changed since.
    if (r.deliveryStatus === 'sending' && r.deliveryId && r.phone && body) {
      const since = new Date((r.deliveryCreatedAt ?? new Date()).getTime() - RECONCILE_MARGIN_MS);
      const providerId = await findSent(r.phone, body, since);
      if (providerId) {
        page.accepted.add({ deliveryId: r.deliveryId, providerId, ...segmentsOf(body) });
        page.decided.reconciled += 1;
        return;
      }
    }
    const exclusion = exclusionFor(r, 'sms');
    if (exclusion) return void excluded.push({ supporterId: r.supporterId, token, reason: exclusion });
    if (run.content.quietHours) {
      const now = deps.clock();
      const at = nextSendableTime(now, r.timezone, { start: run.quietStart, end: run.quietEnd });
      if (at.getTime() > now.getTime()) {
        page.decided.deferred += 1;
        return void (await recordDeferred(sql, { ...key, orgId: run.orgId, token, until: at }));
      }
    }
    if (!body || !r.phone)
      return void excluded.push({ supporterId: r.supporterId, token, reason: 'no_content' });
    return { r, phone: r.phone, body, token, key: deps.suppressionKeys.keyOf('sms', r.phone) };
  }

  /**
   * Rows before the calls, a batch per statement; the statement re-checks consent and the
   * suppression list so an opt-out arriving mid-stage wins. Returns the delivery id of each claimed supporter.
   */
  async function claim(page: PageContext, batch: Candidate[]): Promise<Map<string, string>> {
    const { run, stageRunId } = page;
    const claimed = await claimSms(
      sql,
      { orgId: run.orgId, stageRunId, scope },
      batch.map((c) => ({ supporterId: c.r.supporterId, token: c.token, key: c.key })),
    );
    const unclaimed = batch.filter((c) => !claimed.has(c.r.supporterId));
    if (unclaimed.length > 0) {
      // No claim: either the row is settled, or consent was withdrawn after the page was read.
      const status = await deliveryStatuses(sql, {
        stageRunId,
        channel: 'sms',
        supporterIds: unclaimed.map((c) => c.r.supporterId),
      });
      const optedOut = unclaimed.filter((c) => {
        const st = status.get(c.r.supporterId);
        return st === undefined || isUnsent(st);
      });
      await recordExcluded(sql, {
        orgId: run.orgId,
        stageRunId,
        channel: 'sms',
        rows: optedOut.map((c) => ({ supporterId: c.r.supporterId, token: c.token, reason: 'opted_out' })),
      });
    }
    return claimed;
  }

  async function send(page: PageContext, c: Candidate, deliveryId: string) {
    const { stageRunId } = page;
    const { phone, body } = c;
    // The claim was made a batch ahead: an opt-out since then must still win, so ask again now.
    if (!(await mayText(c))) {
      page.decided.optedOutSinceClaim += 1;
      await recordExcluded(sql, {
        orgId: page.run.orgId,
        stageRunId,
        channel: 'sms',
        rows: [{ supporterId: c.r.supporterId, token: c.token, reason: 'opted_out' }],
      });
      return;
    }
    const segments = segmentsOf(body);
    const since = new Date(Date.now() - RECONCILE_MARGIN_MS);
    // Worker shutdown past its grace time (or a cancelled stage): hand the page back before the call.
    // The row claimed 'sending' is reconciled with Twilio's list by the retry, as after a crash.
    throwIfCancelled();
    page.beat();
    try {
      const res = await withProviderRetries<SmsSendResult | { providerId: string }>(
        // Each attempt waits its turn and counts against the rate until the provider answers.
        () =>
          pace.track(() => deps.sms.send({ to: phone, body, statusCallback: statusCallback(deliveryId) })),
        {
          onRateLimited: (ms) => pace.holdFor(ms),
          // A 5xx or a timeout may come after Twilio took the message: resending blind would duplicate it.
          recover: async () => {
            const providerId = await findSent(phone, body, since);
            return providerId ? { providerId } : undefined;
          },
        },
      );
      page.accepted.add({ deliveryId, providerId: res.providerId, ...segments });
    } catch (err) {
      // Only a fault of this recipient's number is recorded and suppressed; a permanent account or
      // configuration error is thrown so Temporal keeps retrying the page until it is fixed.
      if (!(err instanceof ProviderError) || err.kind !== 'permanent' || !err.recipientFault) throw err;
      const key = { stageRunId, supporterId: c.r.supporterId, channel: 'sms' as const };
      await recordFailed(sql, { ...key, error: err });
      const code = String(err.code ?? err.status ?? 'permanent');
      page.decided.refused += 1;
      log.info(
        { stageRunId, supporterId: c.r.supporterId, code },
        'sms refused by the provider: number suppressed',
      );
      const optOut = {
        orgId: page.run.orgId,
        supporterId: c.r.supporterId,
        channel: 'sms' as const,
        source: 'provider_opt_out' as const,
        contact: phone,
      };
      // Twilio's STOP is an opt-out, not a bad number; any other refusal of the number is a verdict on it.
      await (isTwilioUnsubscribed(code)
        ? sql.begin((tx) => optOutChannel(tx, deps.suppressionKeys, optOut))
        : suppressChannel(sql, optOut, 'sms', code));
    }
  }

  async function runPage(input: {
    stageRunId: string;
    afterSeq: number;
    limit: number;
    deferredDueBy?: Date;
  }) {
    const run = await loadStageRun(sql, input.stageRunId);
    if (!run)
      throw ApplicationFailure.nonRetryable(
        `stage run ${input.stageRunId} missing`,
        ACTIVITY_FAILURES.stageRunMissing,
      );
    const recipients = await loadRecipientPage(sql, { ...input, channel: 'sms' });
    const page: PageContext = {
      run,
      stageRunId: input.stageRunId,
      deferredPass: input.deferredDueBy !== undefined,
      accepted: acceptedWriter(sql, input.stageRunId),
      beat: throttledHeartbeat(),
      decided: { reconciled: 0, deferred: 0, optedOutSinceClaim: 0, refused: 0 },
    };
    let excludedCount = 0;
    try {
      const excluded: Array<{ supporterId: string; token: string; reason: string }> = [];
      const decided: Array<Candidate | undefined> = [];
      await forEachConcurrent(
        recipients.map((r, i) => ({ r, i })),
        deps.concurrency,
        async ({ r, i }) => {
          decided[i] = await decide(page, r, excluded);
        },
      );
      // Page order: the first supporters in the snapshot are the first to hear.
      const candidates = decided.filter((c) => c !== undefined);
      excludedCount = excluded.length;
      await recordExcluded(sql, {
        orgId: run.orgId,
        stageRunId: input.stageRunId,
        channel: 'sms',
        rows: excluded,
      });
      // Claims run a batch ahead of the sends, so no lane waits on the database between messages.
      const claims = new Map<number, Promise<Map<string, string>>>();
      const claimOf = (k: number) => {
        let p = claims.get(k);
        if (!p && k * CLAIM_BATCH < candidates.length) {
          p = claim(page, candidates.slice(k * CLAIM_BATCH, (k + 1) * CLAIM_BATCH));
          // Awaited by the lanes of batch k; one that no lane reaches must not surface as unhandled.
          p.catch(() => {});
          claims.set(k, p);
        }
        return p;
      };
      await forEachConcurrent(
        candidates.map((c, i) => ({ c, i })),
        deps.concurrency,
        async ({ c, i }) => {
          const k = Math.floor(i / CLAIM_BATCH);
          const claimed = await claimOf(k)!;
          // The first lane into a batch starts claiming the next (a rejection surfaces to its lanes).
          if (i % CLAIM_BATCH === 0) void claimOf(k + 1);
          const deliveryId = claimed.get(c.r.supporterId);
          if (deliveryId) await send(page, c, deliveryId);
        },
      );
    } finally {
      // Whatever was accepted is written, even when a lane failed: fewer rows left to reconcile.
      await page.accepted.close();
    }
    log.info(
      {
        stageRunId: input.stageRunId,
        afterSeq: input.afterSeq,
        recipients: recipients.length,
        excluded: excludedCount,
        deferredPass: page.deferredPass,
        ...page.decided,
      },
      'sms page done',
    );
    return recipients;
  }

  /** Waits (briefly) until this worker's clock reaches `at`: the timer that woke the workflow runs on another clock. */
  async function waitForClock(at: Date) {
    const started = Date.now();
    while (deps.clock().getTime() < at.getTime() && Date.now() - started < MAX_CLOCK_WAIT_MS) {
      heartbeat();
      await sleep(Math.min(250, at.getTime() - deps.clock().getTime()));
    }
  }

  return {
    async deliverPage(input: DeliverPageInput): Promise<PageResult> {
      const started = performance.now();
      const page = await runPage(input);
      const result = await pageResult(sql, { ...input, channel: 'sms' }, page);
      metrics.pageDone('sms', (performance.now() - started) / 1000);
      return result;
    },
    /** Sends the deferred deliveries whose quiet hours have ended. */
    async deliverDeferred(input: { stageRunId: string; limit: number }): Promise<{ done: boolean }> {
      const earliest = await earliestDeferred(sql, input.stageRunId);
      if (!earliest) return { done: true };
      await waitForClock(earliest);
      const page = await runPage({
        stageRunId: input.stageRunId,
        afterSeq: 0,
        limit: input.limit,
        deferredDueBy: deps.clock(),
      });
      return { done: page.length < input.limit };
    },
  } satisfies DeliveryActivities;
}
