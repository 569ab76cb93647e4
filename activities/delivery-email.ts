import { createHash } from 'node:crypto';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { EmailChannel, OutgoingEmail } from '../channels/email-channel';
import { ProviderError } from '../channels/provider-errors';
import type { Sql } from '../db/client';
import { recordAccepted, recordExcluded, recordFailed } from './delivery-rows';
import { linkToken } from './links';
import { createPacer } from './pacer';
import { type PageResult, pageCounts } from './page-result';
import { withProviderRetries } from './provider-retry';
import {
  exclusionFor,
  loadRecipientPage,
  loadStageRun,
  REACHED,
  type Recipient,
  SETTLED,
  type StageRunInfo,
} from './recipient-page';
import { renderForRecipient } from './render';

export interface EmailDeliveryDeps {
  sql: Sql;
  email: EmailChannel;
  from: string;
  linkSecret: string;
  publicBaseUrl: string;
  ratePerSec: number;
}

const BATCH = 100;

export function createEmailDeliveryActivities(deps: EmailDeliveryDeps) {
  const { sql } = deps;
  const pace = createPacer(deps.ratePerSec);

  function compose(run: StageRunInfo, stageRunId: string, r: Recipient): OutgoingEmail | undefined {
    const token = linkToken(deps.linkSecret, { stageRunId, supporterId: r.supporterId, channel: 'email' });
    const m = renderForRecipient(run, r, 'email', token, deps.publicBaseUrl);
    if (!m.subject || !m.text || !m.html) return undefined;
    return {
      to: r.email!,
      from: deps.from,
      subject: m.subject,
      text: `${m.text}\n\n${m.unsubscribeUrl}`,
      html: `${m.html}<p><a href="${m.unsubscribeUrl}">Unsubscribe</a></p>`,
      headers: {
        'List-Unsubscribe': `<${m.unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      idempotencyKey: `${stageRunId}:${r.supporterId}:email`,
    };
  }

  /** Sends one batch under one Idempotency-Key; a permanent batch error is retried one email at a time. */
  async function sendBatch(
    stageRunId: string,
    batchKey: string,
    batch: Array<{ r: Recipient; mail: OutgoingEmail }>,
  ) {
    for (let i = 0; i < batch.length; i++) await pace();
    heartbeat();
    try {
      const ids = await withProviderRetries(() =>
        deps.email.sendBatch(
          batch.map((b) => b.mail),
          batchKey,
        ),
      );
      for (const [i, b] of batch.entries()) {
        await recordAccepted(sql, {
          stageRunId,
          supporterId: b.r.supporterId,
          channel: 'email',
          providerId: ids[i]!.providerId,
        });
      }
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind !== 'permanent') throw err;
      for (const b of batch) {
        const key = { stageRunId, supporterId: b.r.supporterId, channel: 'email' as const };
        try {
          const res = await withProviderRetries(() => deps.email.send(b.mail));
          await recordAccepted(sql, { ...key, providerId: res.providerId });
        } catch (one) {
          if (!(one instanceof ProviderError) || one.kind !== 'permanent' || !one.recipientFault) throw one;
          await recordFailed(sql, { ...key, error: one });
          await sql`update supporters set email_suppressed_reason = ${String(one.code ?? one.status ?? 'permanent')}
            where id = ${b.r.supporterId}`;
        }
      }
    }
  }

  async function deliver(stageRunId: string, page: Recipient[], fallbackOnly: boolean) {
    const run = await loadStageRun(sql, stageRunId);
    if (!run) throw ApplicationFailure.nonRetryable(`stage run ${stageRunId} missing`, 'StageRunMissing');
    // Batches begun by an earlier attempt go again with the same members and key: Resend answers from its cache.
    const resumed = new Map<string, Array<{ r: Recipient; mail: OutgoingEmail }>>();
    const fresh: Recipient[] = [];
    for (const r of page) {
      if (r.deliveryStatus && SETTLED.has(r.deliveryStatus)) continue;
      if (
        fallbackOnly &&
        r.smsStatus &&
        (REACHED.has(r.smsStatus) || r.smsStatus === 'sending' || r.smsStatus === 'deferred')
      )
        continue;
      const token = linkToken(deps.linkSecret, { stageRunId, supporterId: r.supporterId, channel: 'email' });
      const exclusion = exclusionFor(r, 'email');
      if (exclusion) {
        await recordExcluded(sql, {
          stageRunId,
          supporterId: r.supporterId,
          channel: 'email',
          orgId: run.orgId,
          token,
          reason: exclusion,
        });
        continue;
      }
      const mail = compose(run, stageRunId, r);
      if (!mail) {
        await recordExcluded(sql, {
          stageRunId,
          supporterId: r.supporterId,
          channel: 'email',
          orgId: run.orgId,
          token,
          reason: 'no_content',
        });
        continue;
      }
      if (r.deliveryStatus === 'sending' && r.batchKey) {
        resumed.set(r.batchKey, [...(resumed.get(r.batchKey) ?? []), { r, mail }]);
      } else fresh.push(r);
    }
    for (const [key, batch] of resumed) await sendBatch(stageRunId, key, batch);
    for (let i = 0; i < fresh.length; i += BATCH) {
      const chunk = fresh.slice(i, i + BATCH);
      const batchKey = createHash('sha256')
        .update(`${stageRunId}:${chunk.map((r) => r.supporterId).join(',')}`)
        .digest('hex')
        .slice(0, 40);
      // Rows before the call, consent re-checked in the same statement; the batch is whoever was claimed.
      const claimed = new Set(
        (
          await sql<{ supporter_id: string }[]>`
          insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, batch_key, attempts)
          select ${run.orgId}, ${stageRunId}, s.id, 'email', 'sending', t.token, ${batchKey}, 1
          from unnest(${chunk.map((r) => r.supporterId)}::uuid[], ${chunk.map((r) => linkToken(deps.linkSecret, { stageRunId, supporterId: r.supporterId, channel: 'email' }))}::text[]) as t(id, token)
          join supporters s on s.id = t.id
          where s.email_consent and s.email_opted_out_at is null and s.email_suppressed_reason is null and s.erased_at is null
          on conflict (stage_run_id, supporter_id, channel) do nothing
          returning supporter_id`
        ).map((row) => row.supporter_id),
      );
      const batch = chunk
        .filter((r) => claimed.has(r.supporterId))
        .map((r) => ({ r, mail: compose(run, stageRunId, r)! }));
      if (batch.length > 0) await sendBatch(stageRunId, batchKey, batch);
    }
  }

  return {
    async deliverPage(input: {
      stageRunId: string;
      afterSeq: number;
      limit: number;
      fallbackOnly: boolean;
    }): Promise<PageResult> {
      const page = await loadRecipientPage(sql, { ...input, channel: 'email' });
      await deliver(input.stageRunId, page, input.fallbackOnly);
      const last = page.at(-1)?.seq ?? input.afterSeq;
      const counts = await pageCounts(sql, {
        stageRunId: input.stageRunId,
        channel: 'email',
        fromSeq: input.afterSeq,
        toSeq: last,
      });
      return { ...counts, nextSeq: last, done: page.length < input.limit };
    },
    // Email has no quiet hours; the method exists so both delivery queues answer the same calls.
    async deliverDeferred(_input: { stageRunId: string; limit: number }): Promise<{ done: boolean }> {
      return { done: true };
    },
  };
}
