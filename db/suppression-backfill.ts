import type { ContactKeys } from '../core/contact-key';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../domain/channels';
import type { SuppressionSource } from '../domain/suppression-sources';
import type { Sql } from './client';

const CHUNK = 1000;

/**
 * Copies the opt-outs (and hard bounces) recorded on supporter rows before the suppression list
 * existed into it, once per channel and scope. SQL cannot do this in the migration: the key is in the
 * configuration. Idempotent; API processes run it at start, and two at once only repeat inserts.
 * Returns how many entries each channel gained.
 */
export async function backfillSuppressions(
  sql: Sql,
  keys: ContactKeys,
): Promise<Record<DeliveryChannel, number>> {
  const added = { sms: 0, email: 0 };
  for (const channel of DELIVERY_CHANNELS) {
    const scope = keys.scope[channel];
    const [done] =
      await sql`select 1 from suppression_backfills where channel = ${channel} and scope = ${scope}`;
    if (done) continue;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await (channel === 'sms'
        ? sql<{ id: string; contact: string; source: SuppressionSource }[]>`
            select id, phone as contact, 'earlier_opt_out' as source from supporters
            where id > ${after} and phone is not null and erased_at is null and sms_opted_out_at is not null
            order by id limit ${CHUNK}`
        : sql<{ id: string; contact: string; source: SuppressionSource }[]>`
            select id, email as contact,
              case when email_opted_out_at is not null then 'earlier_opt_out' else 'hard_bounce' end as source
            from supporters
            where id > ${after} and email is not null and erased_at is null
              and (email_opted_out_at is not null or email_suppressed_reason = 'hard_bounce')
            order by id limit ${CHUNK}`);
      if (rows.length === 0) break;
      const inserted = await sql`insert into suppressions (channel, scope, contact_key, source)
        select ${channel}, ${scope}, x.key, x.source
        from unnest(${rows.map((r) => keys.keyOf(channel, r.contact))}::text[], ${rows.map((r) => r.source)}::text[])
          as x(key, source)
        on conflict do nothing`;
      added[channel] += inserted.count;
      after = rows[rows.length - 1]!.id;
    }
    await sql`insert into suppression_backfills (channel, scope) values (${channel}, ${scope}) on conflict do nothing`;
  }
  return added;
}
