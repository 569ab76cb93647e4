import { heartbeat, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ProviderError } from '../channels/provider-errors';
import type { SmsChannel, SmsSendResult } from '../channels/sms-channel';
import type { Sql } from '../db/client';
import { nextSendableTime } from '../domain/quiet-hours';
import { countSegments } from '../domain/sms-segments';
import { forEachConcurrent } from './concurrency';
import { recordAccepted, recordDeferred, recordExcluded, recordFailed } from './delivery-rows';
import { linkToken } from './links';
import { createPacer } from './pacer';
import { type PageResult, pageResult } from './page-result';
import { withProviderRetries } from './provider-retry';
import {
  earliestDeferred,
  exclusionFor,
  loadRecipientPage,
  loadStageRun,
  type Recipient,
  SETTLED,
  type StageRunInfo,
} from './recipient-page';
import { renderForRecipient } from './render';

export interface SmsDeliveryDeps {
  sql: Sql;
  sms: SmsChannel;
  linkSecret: string;
  publicBaseUrl: string;
  ratePerSec: number;
  concurrency: number;
  clock: () => Date;
}

// Twilio 21610: the recipient replied STOP to the sender; treat it as an opt-out, not a bad number.
const UNSUBSCRIBED_CODES = new Set(['21610']);
// The provider's clock and ours differ, and a message is listed a moment after it was taken.
const RECONCILE_MARGIN_MS = 60_000;
// The workflow's timer and this worker's clock may disagree by a little: wait that out here.
const MAX_CLOCK_WAIT_MS = 30_000;

export function createSmsDeliveryActivities(deps: SmsDeliveryDeps) {
  const { sql } = deps;
  const pace = createPacer(deps.ratePerSec, { tick: heartbeat });
  // The delivery id lets a status callback that outruns our write find its row (see recordAccepted).
  const statusCallback = (deliveryId: string) =>
    `${deps.publicBaseUrl}/v1/webhooks/twilio/status?d=${deliveryId}`;

  /** Twilio has no idempotency key: the provider's own list says whether it already took this message. */
  async function findSent(to: string, body: string, since: Date): Promise<string | undefined> {
    const sent = await withProviderRetries(() => deps.sms.listSentTo({ to, since }), {
      onRateLimited: (ms) => pace.holdFor(ms),
    });
    return sent.find((m) => m.body === body)?.providerId;
  }

  async function sendOne(run: StageRunInfo, stageRunId: string, r: Recipient, deferredPass: boolean) {
    if (r.deliveryStatus && SETTLED.has(r.deliveryStatus)) return;
    if (r.deliveryStatus === 'deferred' && !deferredPass) return;
    const key = { stageRunId, supporterId: r.supporterId, channel: 'sms' as const };
    const token = linkToken(deps.linkSecret, key);
    const body = renderForRecipient(run, r, 'sms', token, deps.publicBaseUrl).sms;
    // A crash may have come between the provider's accept and our write: ask the provider before
    // anything else, so a message that went out is recorded even if consent or the hour changed since.
    if (r.deliveryStatus === 'sending' && r.phone && body) {
      const since = new Date((r.deliveryCreatedAt ?? new Date()).getTime() - RECONCILE_MARGIN_MS);
      const providerId = await findSent(r.phone, body, since);
      if (providerId) return recordAccepted(sql, { ...key, providerId, segments: countSegments(body) });
    }
    const excluded = (reason: string) => recordExcluded(sql, { ...key, orgId: run.orgId, token, reason });
    const exclusion = exclusionFor(r, 'sms');
    if (exclusion) return excluded(exclusion);
    if (run.content.quietHours) {
      const now = deps.clock();
      const at = nextSendableTime(now, r.timezone, { start: run.quietStart, end: run.quietEnd });
      if (at.getTime() > now.getTime())
        return recordDeferred(sql, { ...key, orgId: run.orgId, token, until: at });
    }
    if (!body || !r.phone) return excluded('no_content');
    const phone = r.phone;
    // Row before the call; the statement re-checks consent so an opt-out arriving mid-stage wins.
    const [claimed] = await sql<{ id: string }[]>`
      insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, attempts)
      select ${run.orgId}, ${stageRunId}, s.id, 'sms', 'sending', ${token}, 1 from supporters s
      where s.id = ${r.supporterId} and s.sms_consent and s.sms_opted_out_at is null
        and s.sms_suppressed_reason is null and s.erased_at is null
      on conflict (stage_run_id, supporter_id, channel) do update
        set status = 'sending', attempts = deliveries.attempts + 1, updated_at = now()
        where deliveries.status in ('sending', 'deferred')
      returning id::text as id`;
    if (!claimed) {
      // No claim: either the row is settled, or consent was withdrawn after the page was read.
      const [row] = await sql<{ status: string }[]>`select status from deliveries
        where stage_run_id = ${stageRunId} and supporter_id = ${r.supporterId} and channel = 'sms'`;
      if (!row || row.status === 'sending' || row.status === 'deferred') return excluded('opted_out');
      return;
    }
    const segments = countSegments(body);
    const since = new Date(Date.now() - RECONCILE_MARGIN_MS);
    await pace();
    heartbeat();
    try {
      const res = await withProviderRetries<SmsSendResult | { providerId: string }>(
        () => deps.sms.send({ to: phone, body, statusCallback: statusCallback(claimed.id) }),
        {
          onRateLimited: (ms) => pace.holdFor(ms),
          // A 5xx or a timeout may come after Twilio took the message: resending blind would duplicate it.
          recover: async () => {
            const providerId = await findSent(phone, body, since);
            return providerId ? { providerId } : undefined;
          },
        },
      );
      await recordAccepted(sql, { ...key, providerId: res.providerId, segments });
    } catch (err) {
      // Only a fault of this recipient's number is recorded and suppressed; a permanent account or
      // configuration error is thrown so Temporal keeps retrying the page until it is fixed.
      if (!(err instanceof ProviderError) || err.kind !== 'permanent' || !err.recipientFault) throw err;
      await recordFailed(sql, { ...key, error: err });
      const code = String(err.code ?? err.status ?? 'permanent');
      await (UNSUBSCRIBED_CODES.has(code)
        ? sql`update supporters set sms_opted_out_at = coalesce(sms_opted_out_at, now()) where id = ${r.supporterId}`
        : sql`update supporters set sms_suppressed_reason = ${code} where id = ${r.supporterId}`);
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
      throw ApplicationFailure.nonRetryable(`stage run ${input.stageRunId} missing`, 'StageRunMissing');
    const page = await loadRecipientPage(sql, { ...input, channel: 'sms' });
    await forEachConcurrent(page, deps.concurrency, (r) =>
      sendOne(run, input.stageRunId, r, input.deferredDueBy !== undefined),
    );
    return page;
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
    async deliverPage(input: {
      stageRunId: string;
      afterSeq: number;
      limit: number;
      fallbackOnly: boolean;
    }): Promise<PageResult> {
      const page = await runPage(input);
      return pageResult(sql, { ...input, channel: 'sms' }, page);
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
  };
}
