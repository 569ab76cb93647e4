import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ProviderError } from '../channels/provider-errors';
import type { SmsChannel } from '../channels/sms-channel';
import type { Sql } from '../db/client';
import { nextSendableTime } from '../domain/quiet-hours';
import { countSegments } from '../domain/sms-segments';
import { forEachConcurrent } from './concurrency';
import { recordAccepted, recordDeferred, recordExcluded, recordFailed } from './delivery-rows';
import { linkToken } from './links';
import { createPacer } from './pacer';
import { type PageResult, pageCounts } from './page-result';
import { withProviderRetries } from './provider-retry';
import {
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

export function createSmsDeliveryActivities(deps: SmsDeliveryDeps) {
  const { sql } = deps;
  const pace = createPacer(deps.ratePerSec);

  async function sendOne(run: StageRunInfo, stageRunId: string, r: Recipient, deferredPass: boolean) {
    if (r.deliveryStatus && SETTLED.has(r.deliveryStatus)) return;
    if (r.deliveryStatus === 'deferred' && !deferredPass) return;
    const key = { stageRunId, supporterId: r.supporterId, channel: 'sms' as const };
    const token = linkToken(deps.linkSecret, key);
    const exclusion = exclusionFor(r, 'sms');
    if (exclusion) return recordExcluded(sql, { ...key, orgId: run.orgId, token, reason: exclusion });
    const now = deps.clock();
    if (run.content.quietHours) {
      const at = nextSendableTime(now, r.timezone, { start: run.quietStart, end: run.quietEnd });
      if (at.getTime() > now.getTime())
        return recordDeferred(sql, { ...key, orgId: run.orgId, token, until: at });
    }
    const body = renderForRecipient(run, r, 'sms', token, deps.publicBaseUrl).sms;
    if (!body) return recordExcluded(sql, { ...key, orgId: run.orgId, token, reason: 'no_content' });
    if (r.deliveryStatus === 'sending') {
      // A crash may have come between the provider's accept and our write: ask the provider first.
      const since = new Date((r.deliveryCreatedAt ?? now).getTime() - 60_000);
      const match = (await deps.sms.listSentTo({ to: r.phone!, since })).find((m) => m.body === body);
      if (match)
        return recordAccepted(sql, { ...key, providerId: match.providerId, segments: countSegments(body) });
    }
    // Row before the call; the statement re-checks consent so an opt-out arriving mid-stage wins.
    const [claimed] = await sql`
      insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, attempts)
      select ${run.orgId}, ${stageRunId}, s.id, 'sms', 'sending', ${token}, 1 from supporters s
      where s.id = ${r.supporterId} and s.sms_consent and s.sms_opted_out_at is null
        and s.sms_suppressed_reason is null and s.erased_at is null
      on conflict (stage_run_id, supporter_id, channel) do update
        set status = 'sending', attempts = deliveries.attempts + 1, updated_at = now()
        where deliveries.status in ('sending', 'deferred')
      returning id`;
    if (!claimed) {
      const [row] = await sql`select status from deliveries where stage_run_id = ${stageRunId}
        and supporter_id = ${r.supporterId} and channel = 'sms'`;
      if (!row) return recordExcluded(sql, { ...key, orgId: run.orgId, token, reason: 'opted_out' });
      return;
    }
    await pace();
    heartbeat();
    try {
      const res = await withProviderRetries(() =>
        deps.sms.send({
          to: r.phone!,
          body,
          statusCallback: `${deps.publicBaseUrl}/v1/webhooks/twilio/status`,
        }),
      );
      await recordAccepted(sql, { ...key, providerId: res.providerId, segments: countSegments(body) });
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
    deferredOnly: boolean;
  }) {
    const run = await loadStageRun(sql, input.stageRunId);
    if (!run)
      throw ApplicationFailure.nonRetryable(`stage run ${input.stageRunId} missing`, 'StageRunMissing');
    const page = await loadRecipientPage(sql, { ...input, channel: 'sms' });
    await forEachConcurrent(page, deps.concurrency, (r) =>
      sendOne(run, input.stageRunId, r, input.deferredOnly),
    );
    return page;
  }

  return {
    async deliverPage(input: {
      stageRunId: string;
      afterSeq: number;
      limit: number;
      fallbackOnly: boolean;
    }): Promise<PageResult> {
      const page = await runPage({ ...input, deferredOnly: false });
      const last = page.at(-1)?.seq ?? input.afterSeq;
      const counts = await pageCounts(sql, {
        stageRunId: input.stageRunId,
        channel: 'sms',
        fromSeq: input.afterSeq,
        toSeq: last,
      });
      return { ...counts, nextSeq: last, done: page.length < input.limit };
    },
    /** Sends the deferred deliveries whose quiet hours have ended. */
    async deliverDeferred(input: { stageRunId: string; limit: number }): Promise<{ done: boolean }> {
      const page = await runPage({
        stageRunId: input.stageRunId,
        afterSeq: 0,
        limit: input.limit,
        deferredOnly: true,
      });
      return { done: page.length < input.limit };
    },
  };
}
