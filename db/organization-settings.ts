import {
  type AutoReplyPatch,
  type AutoReplySettings,
  autoReplySettingsSchema,
  mergeAutoReplies,
  mergeTexts,
  type OrgVoice,
} from '../domain/auto-replies';
import { type EmailSender, type EmailSenderPatch, mergeEmailSender } from '../domain/email-sender';
import { jsonb } from './client';
import type { Queryable } from './queryable';

/** What GET /v1/organization shows and PATCH changes (the parts this service has so far). */
export interface OrganizationSettings extends OrgVoice {
  id: string;
  defaultRegion: string;
  /** The zone of supporters nobody gave one and whose number does not tell (null: the region's zone). */
  defaultTimezone: string | null;
  /** Twilio's Advanced Opt-Out is on for our sender: Twilio answers HELP itself, so we do not. */
  twilioAdvancedOptOut: boolean;
  /** Only passkeys sign in to the console; codes lead only to registering a new passkey. */
  requirePasskey: boolean;
  quietHours: { start: string; end: string };
  keywords: unknown;
  /** How its emails present it (domain/email-sender.ts). */
  email: EmailSender;
}

/** An organizations row as organizationColumns selects it. */
export interface OrganizationRow {
  id: string;
  name: string;
  default_region: string;
  default_timezone: string | null;
  twilio_advanced_opt_out: boolean;
  require_passkey: boolean;
  quiet_start: string;
  quiet_end: string;
  help_text: string | null;
  help_text_km: string | null;
  help_contact: string | null;
  keywords: unknown;
  auto_replies: unknown;
  email_sender_name: string | null;
  email_reply_to: string | null;
  postal_address: string | null;
  logo_url: string | null;
}

// A stored value that no longer parses (hand-edited) falls back to the defaults rather than failing a webhook.
const parseAutoReplies = (v: unknown): AutoReplySettings =>
  autoReplySettingsSchema.safeParse(v ?? {}).data ?? {};

export const toSettings = (r: OrganizationRow): OrganizationSettings => ({
  id: r.id,
  name: r.name,
  defaultRegion: r.default_region,
  defaultTimezone: r.default_timezone,
  twilioAdvancedOptOut: r.twilio_advanced_opt_out,
  requirePasskey: r.require_passkey,
  quietHours: { start: r.quiet_start.slice(0, 5), end: r.quiet_end.slice(0, 5) },
  keywords: r.keywords,
  helpText: {
    ...(r.help_text ? { en: r.help_text } : {}),
    ...(r.help_text_km ? { km: r.help_text_km } : {}),
  },
  helpContact: r.help_contact,
  autoReplies: parseAutoReplies(r.auto_replies),
  email: {
    senderName: r.email_sender_name,
    replyTo: r.email_reply_to,
    postalAddress: r.postal_address,
    logoUrl: r.logo_url,
  },
});

/** The columns of an OrganizationRow (toSettings), as a fragment of a query on `organizations`. */
export const organizationColumns = (sql: Queryable) => sql`
  id, name, default_region, default_timezone, twilio_advanced_opt_out, require_passkey, quiet_start::text, quiet_end::text, help_text, help_text_km, help_contact,
  keywords, auto_replies, email_sender_name, email_reply_to, postal_address, logo_url`;

export async function organizationSettings(
  sql: Queryable,
  orgId: string,
): Promise<OrganizationSettings | undefined> {
  const [row] = await sql<OrganizationRow[]>`
    select ${organizationColumns(sql)} from organizations where id = ${orgId}`;
  return row && toSettings(row);
}

/** The changes of PATCH /v1/organization, already validated; `null` resets a text to its default. */
export interface OrganizationPatch {
  name?: string;
  helpText?: { en?: string | null; km?: string | null };
  helpContact?: string | null;
  autoReplies?: AutoReplyPatch;
  defaultTimezone?: string | null;
  twilioAdvancedOptOut?: boolean;
  requirePasskey?: boolean;
  email?: EmailSenderPatch;
}

/** Applies a validated patch (call inside a transaction: it locks the row); returns the settings after it. */
export async function updateOrganizationSettings(
  sql: Queryable,
  orgId: string,
  patch: OrganizationPatch,
): Promise<OrganizationSettings | undefined> {
  // Two patches at once must not lose one: the row stays locked until the caller's transaction ends.
  await sql`select 1 from organizations where id = ${orgId} for update`;
  const now = await organizationSettings(sql, orgId);
  if (!now) return undefined;
  const help = mergeTexts(now.helpText, patch.helpText);
  // Texts merge language by language: a patch of one keeps the others; null returns one to its default.
  const auto = mergeAutoReplies(now.autoReplies, patch.autoReplies);
  const email = mergeEmailSender(now.email, patch.email);
  await sql`update organizations set
      name = ${patch.name ?? now.name},
      help_text = ${help.en ?? null}, help_text_km = ${help.km ?? null},
      help_contact = ${patch.helpContact === undefined ? (now.helpContact ?? null) : patch.helpContact},
      auto_replies = ${sql.json(jsonb(auto))},
      default_timezone = ${patch.defaultTimezone === undefined ? now.defaultTimezone : patch.defaultTimezone},
      twilio_advanced_opt_out = ${patch.twilioAdvancedOptOut ?? now.twilioAdvancedOptOut},
      require_passkey = ${patch.requirePasskey ?? now.requirePasskey},
      email_sender_name = ${email.senderName}, email_reply_to = ${email.replyTo},
      postal_address = ${email.postalAddress}, logo_url = ${email.logoUrl}
    where id = ${orgId}`;
  return organizationSettings(sql, orgId);
}
