import { z } from 'zod';
import { getCampaign } from '../../db/campaigns';
import type { Sql } from '../../db/client';
import { campaignByReplyToken } from '../../db/letters';
import { insertTargetResponse } from '../../db/target-responses';
import { claimReceipt } from '../../db/webhook-receipts';
import type { Target } from '../../domain/action-schema';
import { campaignTargets } from '../../domain/case-targets';
import { invalid } from '../errors/problem';

/**
 * Resend's inbound `email.received` event (svix-verified by the caller). Resend's event carries the
 * envelope and subject; `text` is read when present (the sandbox sends it; Resend's body is fetched
 * from its Received Emails API, which this service does not call yet).
 */
const ReceivedData = z.looseObject({
  email_id: z.string().min(1).max(128),
  from: z.string().min(1).max(400),
  to: z.array(z.string().max(400)).min(1).max(50),
  subject: z.string().max(1_000).optional(),
  text: z.string().max(200_000).optional(),
  created_at: z.string().max(64).optional(),
});

const SUMMARY_MAX = 5_000;
const REPLY_ADDRESS = /(?:^|<|\s)reply\+([a-z0-9]+)@/i;
const bare = (value: string) => (/<([^>]+)>\s*$/.exec(value)?.[1] ?? value).trim().toLowerCase();

export type ReplyOutcome = 'logged' | 'duplicate' | 'unknown_address';

/**
 * Logs an emailed reply against the campaign its reply address names and the target whose address
 * sent it. A sender who is not a target is logged as `unknown` without their address: contact
 * details of a sender are kept only when they are the target's own. Same svix-id or email id again:
 * nothing new.
 */
export async function logEmailedReply(sql: Sql, svixId: string, rawData: unknown): Promise<ReplyOutcome> {
  const parsed = ReceivedData.safeParse(rawData ?? {});
  if (!parsed.success) throw invalid(parsed.error, 'data');
  const data = parsed.data;
  const token = data.to.map((to) => REPLY_ADDRESS.exec(to)?.[1]?.toLowerCase()).find(Boolean);
  const owner = token ? await campaignByReplyToken(sql, token) : undefined;
  const campaign = owner && (await getCampaign(sql, owner.orgId, owner.campaignId));
  return sql.begin(async (tx) => {
    const claimed = await claimReceipt(tx, {
      source: 'resend',
      externalId: svixId,
      orgId: owner?.orgId ?? null,
      status: 200,
      response: { type: 'email.received' },
    });
    if (!claimed) return 'duplicate';
    if (!owner || !campaign) return 'unknown_address';
    const from = bare(data.from);
    const def = campaign.definition as {
      action?: { targets?: Target[] };
      stages?: Array<{ action?: { targets?: Target[] } }>;
    };
    const target = campaignTargets(def).find((t) => t.email?.toLowerCase() === from);
    const summary = [data.subject?.trim(), data.text?.trim()]
      .filter(Boolean)
      .join('\n\n')
      .slice(0, SUMMARY_MAX);
    const receivedAt =
      data.created_at && !Number.isNaN(Date.parse(data.created_at)) ? data.created_at : undefined;
    const logged = await insertTargetResponse(tx, {
      orgId: owner.orgId,
      campaignId: owner.campaignId,
      target: target?.key ?? 'unknown',
      targetName: target?.name ?? 'Unknown sender',
      summary: summary || '(no text)',
      receivedAt: new Date(receivedAt ?? Date.now()).toISOString(),
      source: 'email',
      fromAddress: target ? from : null,
      externalId: `resend:${data.email_id}`,
    });
    return logged ? 'logged' : 'duplicate';
  });
}
