import { actionUrl, linkToken } from '../../activities/links';
import type { Pacer } from '../../activities/pacer';
import type { SmsChannel } from '../../channels/sms-channel';
import type { Sql } from '../../db/client';
import { recordAccepted } from '../../db/delivery-rows';
import { stageRunMonth } from '../../db/partition-month';
import { countSegments } from '../../domain/sms-segments';
import { renderTemplate } from '../../domain/template';

export interface NaiveDeps {
  sql: Sql;
  sms: SmsChannel;
  pace: Pacer;
  linkSecret: string;
  publicBaseUrl: string;
}

/**
 * One recipient per activity, with the same row discipline as the campaign's SMS activity: read the
 * supporter and the run's content, claim a 'sending' row, send, record the provider id.
 */
export function createNaiveActivities(deps: NaiveDeps) {
  const { sql } = deps;
  return {
    async sendToSupporter(input: { stageRunId: string; supporterId: string }): Promise<string> {
      const [row] = await sql<
        { org_id: string; phone: string | null; template: string | null; case_name: string | null }[]
      >`
        select s.org_id, s.phone, r.content -> 'content' -> s.locale ->> 'sms' as template,
          r.content -> 'vars' ->> 'caseName' as case_name
        from supporters s join stage_runs r on r.id = ${input.stageRunId}
        where s.id = ${input.supporterId} and s.sms_consent and s.sms_opted_out_at is null
          and s.sms_suppressed_reason is null and s.erased_at is null`;
      if (!row?.phone || !row.template) return 'excluded';
      const key = { ...input, channel: 'sms' as const };
      const token = linkToken(deps.linkSecret, key);
      const body = renderTemplate(row.template, {
        caseName: row.case_name ?? '',
        actionUrl: actionUrl(deps.publicBaseUrl, token),
      });
      const [claimed] = await sql<{ id: string }[]>`
        insert into deliveries (org_id, stage_run_id, supporter_id, channel, status, link_token, attempts, month)
        values (${row.org_id}, ${input.stageRunId}, ${input.supporterId}, 'sms', 'sending', ${token}, 1,
          (${stageRunMonth(sql, input.stageRunId)}))
        on conflict (stage_run_id, supporter_id, channel, month) do update
          set attempts = deliveries.attempts + 1, updated_at = now()
          where deliveries.status = 'sending'
        returning id::text as id`;
      if (!claimed) return 'already sent';
      await deps.pace();
      const res = await deps.sms.send({
        to: row.phone,
        body,
        statusCallback: `${deps.publicBaseUrl}/v1/webhooks/twilio/status?d=${claimed.id}`,
      });
      await recordAccepted(sql, input.stageRunId, [
        { deliveryId: claimed.id, providerId: res.providerId, ...countSegments(body) },
      ]);
      return 'sent';
    },
  };
}

export type NaiveActivities = ReturnType<typeof createNaiveActivities>;
