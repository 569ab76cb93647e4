import type { ContactKeys } from '../core/contact-key';
import type { DeliveryChannel } from '../domain/channels';
import { PROVIDER_VERDICTS } from '../domain/suppression-sources';
import type { Sql } from './client';
import type { SupporterRow } from './supporters';
import { clearSuppression } from './suppressions';

export type ReconsentOutcome = { supporter: SupporterRow } | { missing: 'supporter' | 'contact' };

/**
 * The owner's own renewed consent, recorded by an organizer (the caller audits its source): takes
 * the contact off the suppression list for every organization on the sender (unless the entry is
 * a provider's verdict: PROVIDER_VERDICTS), clears this record's opt-out and sets its consent. A
 * provider's verdict (invalid number, hard bounce, Twilio's block) stays: consent does not make an
 * address deliverable.
 */
export async function recordReconsent(
  sql: Sql,
  keys: ContactKeys,
  ref: { orgId: string; supporterId: string; channel: DeliveryChannel },
): Promise<ReconsentOutcome> {
  return sql.begin(async (tx): Promise<ReconsentOutcome> => {
    const [row] = await tx<{ phone: string | null; email: string | null }[]>`
      select phone, email from supporters
      where id = ${ref.supporterId} and org_id = ${ref.orgId} and erased_at is null for update`;
    if (!row) return { missing: 'supporter' };
    const contact = ref.channel === 'sms' ? row.phone : row.email;
    if (!contact) return { missing: 'contact' };
    await clearSuppression(tx, keys, ref.channel, contact, PROVIDER_VERDICTS);
    const [updated] = await (ref.channel === 'sms'
      ? tx<
          SupporterRow[]
        >`update supporters set sms_consent = true, sms_opted_out_at = null, updated_at = now()
          where id = ${ref.supporterId} and org_id = ${ref.orgId} returning *`
      : tx<
          SupporterRow[]
        >`update supporters set email_consent = true, email_opted_out_at = null, updated_at = now()
          where id = ${ref.supporterId} and org_id = ${ref.orgId} returning *`);
    return { supporter: updated! };
  });
}
