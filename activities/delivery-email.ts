import { createHash } from 'node:crypto';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { EmailChannel, OutgoingEmail } from '../channels/email-channel';
import { ProviderError } from '../channels/provider-errors';
import type { ContactKeys } from '../core/contact-key';
import { type Logger, silentLogger } from '../core/logger';
import { metrics } from '../core/metrics';
import type { Sql } from '../db/client';
import { suppressChannel } from '../db/consent';
import { claimEmail } from '../db/delivery-claims';
import {
  type Accepted,
  recordExcluded,
  recordFailed,
  recordAccepted as writeAccepted,
} from '../db/delivery-rows';
import { type PageResult, pageResult } from '../db/page-result';
import { exclusionFor } from '../db/reachable';
import { loadRecipientPage, loadStageRun, type Recipient, type StageRunInfo } from '../db/recipient-page';
import { applyParkedResendEvents } from '../db/resend-events';
import { isReached, isSettled, isUnsent } from '../domain/delivery-status';
import { ACTIVITY_FAILURES } from '../domain/failure-types';
import { composeEmail, prepareStageEmail, type StageEmail } from './email/stage-email';
import { linkToken } from './links';
import { createPacer, type Pacer } from './pacer';
import { withProviderRetries } from './provider-retry';
import type { DeliverPageInput, DeliveryActivities } from './types';

export interface EmailDeliveryDeps {
  sql: Sql;
  email: EmailChannel;
  from: string;
  linkSecret: string;
  publicBaseUrl: string;
  ratePerSec: number;
  /** The process's email pacer (workers/send-rates.ts: shared with other processes); else one of its own at `ratePerSec`. */
  pacer?: Pacer;
  /** The suppression list's keys: every claim checks the address against it. */
  suppressionKeys: ContactKeys;
  /** Where each page's outcome is logged (ids and counts only); silent when absent. */
  log?: Logger;
}

const BATCH = 100;
// Resend: the Idempotency-Key was already used with a different request body.
const IDEMPOTENCY_CONFLICT = 'invalid_idempotent_request';

export function createEmailDeliveryActivities(deps: EmailDeliveryDeps) {
  const { sql } = deps;
  const log = deps.log ?? silentLogger();
  const pace = deps.pacer ?? createPacer(deps.ratePerSec, { tick: heartbeat });
  // Events Resend sent before these ids were recorded were parked (db/resend-events.ts): applied now.
  const recordAccepted = async (db: Sql, stageRunId: string, rows: Accepted[]) => {
    await writeAccepted(db, stageRunId, rows);
    await applyParkedResendEvents(
      db,
      deps.suppressionKeys,
      rows.map((r) => r.providerId),
    );
  };

  /** One supporter's email from the stage's rendered layouts (activities/email/), or undefined without content. */
  function compose(
    stage: StageEmail,
    run: StageRunInfo,
    stageRunId: string,
    r: Recipient,
  ): OutgoingEmail | undefined {
    const mail = composeEmail(stage, run, r, tokenOf(stageRunId, r));
    return mail && { ...mail, idempotencyKey: `${stageRunId}:${r.supporterId}:email` };
  }

  type Member = { r: Recipient; mail: OutgoingEmail; deliveryId: string };
  const keyOf = (stageRunId: string, r: Recipient) => ({
    stageRunId,
    supporterId: r.supporterId,
    channel: 'email' as const,
  });
  // A row already written keeps the token it was written with (a longer one from before issue 22).
  const tokenOf = (stageRunId: string, r: Recipient) =>
    r.linkToken ?? linkToken(deps.linkSecret, keyOf(stageRunId, r));

  /**
   * Sends one batch under one Idempotency-Key; a permanent batch error is retried one email at a time.
   * `heldBack` are members of a resumed batch who may no longer be sent (an opt-out since): they are
   * recorded as reached if the provider proves the original batch went out, else as excluded.
   */
  async function sendBatch(
    run: StageRunInfo,
    stageRunId: string,
    batchKey: string,
    batch: Member[],
    heldBack: Recipient[] = [],
  ) {
    const exclude = (members: Recipient[]) =>
      recordExcluded(sql, {
        orgId: run.orgId,
        stageRunId,
        channel: 'email',
        rows: members.map((r) => ({
          supporterId: r.supporterId,
          token: tokenOf(stageRunId, r),
          reason: exclusionFor(r, 'email') ?? 'no_content',
        })),
      });
    if (batch.length === 0) {
      await exclude(heldBack);
      return;
    }
    for (let i = 0; i < batch.length; i++) await pace();
    heartbeat();
    try {
      const ids = await withProviderRetries(
        () =>
          deps.email.sendBatch(
            batch.map((b) => b.mail),
            batchKey,
          ),
        { onRateLimited: (ms) => pace.holdFor(ms) },
      );
      await recordAccepted(
        sql,
        stageRunId,
        batch.map((b, i) => ({ deliveryId: b.deliveryId, providerId: ids[i]!.providerId })),
      );
      await exclude(heldBack);
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind !== 'permanent') throw err;
      if (err.code === IDEMPOTENCY_CONFLICT) {
        // The key was already used for a different request: the original batch went out, ids unknown.
        await recordAccepted(sql, stageRunId, [
          ...batch.map((b) => ({ deliveryId: b.deliveryId, providerId: null })),
          ...heldBack.flatMap((r) => (r.deliveryId ? [{ deliveryId: r.deliveryId, providerId: null }] : [])),
        ]);
        return;
      }
      await exclude(heldBack);
      for (const b of batch) {
        const key = keyOf(stageRunId, b.r);
        try {
          const res = await withProviderRetries(() => deps.email.send(b.mail), {
            onRateLimited: (ms) => pace.holdFor(ms),
          });
          await recordAccepted(sql, stageRunId, [{ deliveryId: b.deliveryId, providerId: res.providerId }]);
        } catch (one) {
          if (!(one instanceof ProviderError) || one.kind !== 'permanent' || !one.recipientFault) throw one;
          await recordFailed(sql, { ...key, error: one });
          await suppressChannel(
            sql,
            { orgId: run.orgId, supporterId: b.r.supporterId },
            'email',
            String(one.code ?? one.status ?? 'permanent'),
          );
        }
      }
    }
  }

  async function deliver(stageRunId: string, page: Recipient[], fallbackOnly: boolean) {
    const run = await loadStageRun(sql, stageRunId);
    if (!run)
      throw ApplicationFailure.nonRetryable(
        `stage run ${stageRunId} missing`,
        ACTIVITY_FAILURES.stageRunMissing,
      );
    const stage = await prepareStageEmail(sql, run, { from: deps.from, linkBaseUrl: deps.publicBaseUrl });
    // Batches begun by an earlier attempt go first, with the same members and key: Resend answers from its cache.
    const resumed = new Map<string, Recipient[]>();
    const fresh: Recipient[] = [];
    const excluded: Array<{ supporterId: string; token: string; reason: string }> = [];
    for (const r of page) {
      if (r.deliveryStatus && isSettled(r.deliveryStatus)) continue;
      if (r.deliveryStatus === 'sending' && r.batchKey) {
        resumed.set(r.batchKey, [...(resumed.get(r.batchKey) ?? []), r]);
        continue;
      }
      if (fallbackOnly && r.smsStatus && (isReached(r.smsStatus) || isUnsent(r.smsStatus))) continue;
      const token = tokenOf(stageRunId, r);
      const exclusion =
        exclusionFor(r, 'email') ?? (compose(stage, run, stageRunId, r) ? null : 'no_content');
      if (exclusion) excluded.push({ supporterId: r.supporterId, token, reason: exclusion });
      else fresh.push(r);
    }
    await recordExcluded(sql, { orgId: run.orgId, stageRunId, channel: 'email', rows: excluded });
    for (const [key, members] of resumed) {
      // Whoever may still be sent goes again in the same order; a changed batch cannot replay the
      // original request, which the provider then refuses with 409 (handled in sendBatch).
      const batch: Member[] = [];
      const heldBack: Recipient[] = [];
      for (const r of members) {
        const mail = exclusionFor(r, 'email') ? undefined : compose(stage, run, stageRunId, r);
        // A resumed member's row exists (it is why the member is resumed): its id comes with the page.
        if (mail && r.deliveryId) batch.push({ r, mail, deliveryId: r.deliveryId });
        else heldBack.push(r);
      }
      await sendBatch(run, stageRunId, key, batch, heldBack);
    }
    for (let i = 0; i < fresh.length; i += BATCH) {
      const chunk = fresh.slice(i, i + BATCH);
      const batchKey = createHash('sha256')
        .update(`${stageRunId}:${chunk.map((r) => r.supporterId).join(',')}`)
        .digest('hex')
        .slice(0, 40);
      // Rows before the call, consent and the suppression list re-checked in the same statement; the
      // batch is whoever was claimed.
      const claimed = await claimEmail(
        sql,
        { orgId: run.orgId, stageRunId, scope: deps.suppressionKeys.scope.email, batchKey },
        chunk.map((r) => ({
          supporterId: r.supporterId,
          token: tokenOf(stageRunId, r),
          key: deps.suppressionKeys.keyOf('email', r.email!),
        })),
      );
      // Consent withdrawn since the page was read: reported as excluded, like any opt-out.
      await recordExcluded(sql, {
        orgId: run.orgId,
        stageRunId,
        channel: 'email',
        rows: chunk
          .filter((c) => !claimed.has(c.supporterId))
          .map((r) => ({
            supporterId: r.supporterId,
            token: tokenOf(stageRunId, r),
            reason: 'opted_out',
          })),
      });
      const batch = chunk
        .filter((r) => claimed.has(r.supporterId))
        .map((r) => ({
          r,
          mail: compose(stage, run, stageRunId, r)!,
          deliveryId: claimed.get(r.supporterId)!,
        }));
      if (batch.length > 0) await sendBatch(run, stageRunId, batchKey, batch);
    }
  }

  return {
    async deliverPage(input: DeliverPageInput): Promise<PageResult> {
      const started = performance.now();
      const page = await loadRecipientPage(sql, { ...input, channel: 'email' });
      await deliver(input.stageRunId, page, input.fallbackOnly);
      const result = await pageResult(sql, { ...input, channel: 'email' }, page);
      metrics.pageDone('email', (performance.now() - started) / 1000);
      log.info(
        {
          stageRunId: input.stageRunId,
          afterSeq: input.afterSeq,
          fallbackOnly: input.fallbackOnly,
          ...result,
        },
        'email page done',
      );
      return result;
    },
    // Email has no quiet hours; the method exists so both delivery queues answer the same calls.
    async deliverDeferred(_input: { stageRunId: string; limit: number }): Promise<{ done: boolean }> {
      return { done: true };
    },
  } satisfies DeliveryActivities;
}
