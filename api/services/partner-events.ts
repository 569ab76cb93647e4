import { createHash } from 'node:crypto';
import { z } from 'zod';
import { suppressionKeys } from '../../core/runtime';
import { recordAudit } from '../../db/audit';
import type { PartnerRow } from '../../db/partners';
import { upsertSupporter } from '../../db/supporters';
import { overriddenConsent } from '../../db/suppressions';
import type { DeliveryChannel } from '../../domain/channels';
import type { AppDeps } from '../context';
import { badRequest, forbidden, invalid, ProblemError } from '../errors/problem';
import { normalizeSupporter, orgInput } from '../import/supporter-input';
import { SupporterInputSchema } from '../schemas/supporter';
import { createCampaign } from './campaign-service';

// Fixed namespace for partner campaign ids; changing it would break redelivery of in-flight webhooks.
const CAMPAIGN_ID_NAMESPACE = Buffer.from('59a6b02e908c4fa8a725504f55c2b58c', 'hex');

export const PartnerEventSchema = z.looseObject({
  type: z.enum(['campaign.start', 'supporter.upsert']),
  data: z.unknown(),
});
export type PartnerEvent = z.infer<typeof PartnerEventSchema>;

export interface PartnerAnswer {
  status: 202;
  body:
    | { campaignId: string }
    | {
        supporterId: string;
        /** Channels the event claims consent for whose contact is suppressed: opted out anyway. */
        suppressed: Array<{ channel: DeliveryChannel }>;
      };
}

/** A UUID v5 of (partner, webhook-id): a redelivered webhook names the same campaign and workflow. */
export function partnerCampaignId(partnerId: string, webhookId: string): string {
  const hash = createHash('sha1')
    .update(CAMPAIGN_ID_NAMESPACE)
    .update(`${partnerId}:${webhookId}`, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

// Definition errors name fields relative to the campaign body; the partner sent it under `data`.
function underData(err: unknown): unknown {
  if (!(err instanceof ProblemError) || err.status !== 400) return err;
  const errors = err.errors?.map((e) => ({ ...e, path: e.path === '(root)' ? 'data' : `data.${e.path}` }));
  return new ProblemError(400, err.title, err.detail, errors);
}

async function startCampaign(deps: AppDeps, partner: PartnerRow, webhookId: string, data: unknown) {
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && !partner.scopes.includes(kind)) {
    throw forbidden(`This partner may start ${partner.scopes.join(', ') || 'no'} campaigns, not ${kind}`);
  }
  const opts = {
    orgId: partner.org_id,
    body: data,
    partnerId: partner.id,
    campaignId: partnerCampaignId(partner.id, webhookId),
    // Keys are per organization: the partner id keeps two partners' webhook ids apart.
    idempotencyKey: `partner:${partner.id}:${webhookId}`,
  };
  // Two concurrent deliveries race on the same row; the loser finds it on the second try.
  const create = () =>
    createCampaign(deps, opts).catch((err) => {
      if (isUniqueViolation(err)) return createCampaign(deps, opts);
      throw err;
    });
  const { campaign, created } = await create().catch((err) => {
    throw underData(err);
  });
  if (created) {
    await recordAudit(deps.sql, {
      orgId: partner.org_id,
      actor: { type: 'partner', id: partner.id },
      action: 'campaign.create',
      target: `campaign:${campaign.id}`,
      detail: { kind: String(kind), partnerId: partner.id },
    });
  }
  return { campaignId: campaign.id };
}

async function upsertFromPartner(deps: AppDeps, partner: PartnerRow, data: unknown) {
  const parsed = SupporterInputSchema.safeParse(data);
  if (!parsed.success) throw invalid(parsed.error, 'data');
  const normalized = normalizeSupporter(parsed.data, await orgInput(deps.sql, partner.org_id));
  if ('errors' in normalized) {
    throw badRequest(
      'Invalid supporter',
      normalized.errors.map((e) => ({ ...e, path: `data.${e.path}` })),
    );
  }
  const { supporter, created, listed } = await upsertSupporter(
    deps.sql,
    partner.org_id,
    normalized.value,
    suppressionKeys(deps.config),
  );
  await recordAudit(deps.sql, {
    orgId: partner.org_id,
    actor: { type: 'partner', id: partner.id },
    action: created ? 'supporter.create' : 'supporter.update',
    target: `supporter:${supporter.id}`,
    detail: { partnerId: partner.id },
  });
  // The channel only: the entry's source may tell a partner what a person did with another organization.
  const suppressed = overriddenConsent(listed, normalized.value.consent).map(({ channel }) => ({ channel }));
  return { supporterId: supporter.id, suppressed };
}

/** Acts on one verified partner event; a repeat of the same webhook-id makes nothing new. */
export async function handlePartnerEvent(
  deps: AppDeps,
  partner: PartnerRow,
  webhookId: string,
  event: PartnerEvent,
): Promise<PartnerAnswer> {
  if (event.type === 'campaign.start') {
    return { status: 202, body: await startCampaign(deps, partner, webhookId, event.data) };
  }
  return { status: 202, body: await upsertFromPartner(deps, partner, event.data) };
}
