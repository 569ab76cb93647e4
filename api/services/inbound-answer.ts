import type { ContactKeys } from '../../core/contact-key';
import { campaignThanksOnDone, confirmedRecently, recordAutoReply } from '../../db/auto-replies';
import type { PhoneContext } from '../../db/inbound';
import type { Queryable } from '../../db/queryable';
import { type AutoReplyKind, autoReplyText, type OrgVoice, replyLocale } from '../../domain/auto-replies';
import { isCarrierKeyword, type ReplyIntent } from '../../domain/reply-keywords';
import { countSegments } from '../../domain/sms-segments';

// Who answers a number no organization knows: no name of ours to give, so the network's.
const UNKNOWN_SENDER: OrgVoice = { name: 'Urgent Action network', helpText: {}, autoReplies: {} };

export interface InboundFacts {
  providerId: string;
  from: string;
  body: string;
  intent: ReplyIntent;
  /** Twilio Advanced Opt-Out decided (and confirmed or answered) this one itself. */
  carrierDecided: boolean;
  /** The organization says Twilio's Advanced Opt-Out is on: Twilio answers its HELP keywords. */
  carrierAnswersHelp?: boolean;
}

/**
 * The automatic answer to a fresh inbound SMS, if any, recorded before it is returned as TwiML:
 * HELP always; a confirmation of an opt-out or opt-in the carrier does not confirm itself (at most
 * one of each kind a day per number); a DONE thank-you when the campaign or organization asks for
 * it, once per supporter per campaign. In the supporter's language, else the language of the reply.
 */
export async function autoAnswer(
  tx: Queryable,
  keys: ContactKeys,
  ctx: PhoneContext,
  m: InboundFacts,
): Promise<string | undefined> {
  const ownerId = ctx.lastSms?.supporterId ?? ctx.supporters[0]?.id;
  const owner = ctx.supporters.find((s) => s.id === ownerId);
  const org = ctx.org ?? UNKNOWN_SENDER;
  const contactKey = keys.keyOf('sms', m.from);
  const kind = await kindFor(tx, ctx, org, m, contactKey);
  if (!kind) return undefined;
  const locale = replyLocale(owner?.locale, m.body);
  const body = autoReplyText(kind, locale, org);
  const recorded = await recordAutoReply(tx, {
    orgId: ctx.org?.id ?? null,
    supporterId: owner?.id ?? null,
    campaignId: kind === 'done_thank_you' ? (ctx.lastSms?.campaignId ?? null) : null,
    inboundProviderId: m.providerId,
    kind,
    locale,
    body,
    segments: countSegments(body).segments,
    contactKey,
  });
  return recorded ? body : undefined;
}

async function kindFor(
  tx: Queryable,
  ctx: PhoneContext,
  org: OrgVoice,
  m: InboundFacts,
  contactKey: string,
): Promise<AutoReplyKind | undefined> {
  switch (m.intent) {
    case 'help':
      // Twilio already answered a HELP it matched (OptOutType=HELP), or one of its own words when Advanced Opt-Out is on.
      if (m.carrierDecided || (m.carrierAnswersHelp && isCarrierKeyword(m.body))) return undefined;
      return 'help';
    case 'opt_out':
    case 'opt_in': {
      // Twilio confirms its own keywords (and Advanced Opt-Out's): a second confirmation would be noise.
      if (m.carrierDecided || isCarrierKeyword(m.body)) return undefined;
      if (org.autoReplies.confirmations?.enabled === false) return undefined;
      const kind = m.intent === 'opt_out' ? 'opt_out_confirmation' : 'opt_in_confirmation';
      return (await confirmedRecently(tx, contactKey, kind)) ? undefined : kind;
    }
    case 'done': {
      if (!ctx.lastSms) return undefined;
      const byCampaign = await campaignThanksOnDone(tx, ctx.lastSms);
      const enabled = byCampaign ?? org.autoReplies.doneThankYou?.enabled ?? false;
      return enabled ? 'done_thank_you' : undefined;
    }
    default:
      return undefined;
  }
}
