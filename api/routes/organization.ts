import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type OrganizationSettings,
  organizationSettings,
  updateOrganizationSettings,
} from '../../db/organization-settings';
import {
  autoReplyPatchSchema,
  autoReplySettingsSchema,
  autoReplyText,
  type OrgVoice,
} from '../../domain/auto-replies';
import { LOCALES } from '../../domain/content-schema';
import { emailSenderPatchSchema } from '../../domain/email-sender';
import { countSegments } from '../../domain/sms-segments';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors/problem';
import { organizationZone } from '../import/time-zone-inference';
import { assertOwner, requireRole } from '../middleware/auth';
import { errorResponses, json, security } from '../schemas/common';
import { isTimeZone } from '../schemas/supporter';
import { audit } from '../services/audit';

const answer = z.object({ text: z.string(), segments: z.number().int(), custom: z.boolean() });
const answers = z.object({ en: answer, km: answer });

export const OrganizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    defaultRegion: z.string(),
    defaultTimezone: z.string().openapi({
      description:
        'The zone a new supporter gets when none is given and the country of its number has several zones (or it has no number)',
    }),
    defaultTimezoneSet: z.boolean().openapi({
      description: 'false: `defaultTimezone` is derived from `defaultRegion` (PATCH null returns to this)',
    }),
    twilioAdvancedOptOut: z.boolean().openapi({
      description:
        "Twilio's Advanced Opt-Out is on for the sender: Twilio answers HELP itself, so this service sends no second answer",
    }),
    requirePasskey: z.boolean().openapi({
      description: 'Only passkeys sign in to the console; codes lead only to registering a new passkey',
    }),
    quietHours: z.object({ start: z.string(), end: z.string() }),
    keywords: z.unknown(),
    helpText: z.object({ en: z.string().optional(), km: z.string().optional() }).openapi({
      description:
        "The organization's own HELP answers; a missing language uses the default (see `answers.help`)",
    }),
    helpContact: z
      .string()
      .nullable()
      .openapi({ description: 'How supporters reach a person, named in the default HELP answers' }),
    autoReplies: autoReplySettingsSchema,
    email: z
      .object({
        senderName: z.string().nullable(),
        replyTo: z.string().nullable(),
        postalAddress: z.string().nullable(),
        logoUrl: z.string().nullable(),
      })
      .openapi({
        description:
          "How the organization's emails present it: From display name (null: the organization name), Reply-To, the footer's postal address and an https logo",
      }),
    answers: z
      .object({
        help: answers,
        optOutConfirmation: answers,
        optInConfirmation: answers,
        doneThankYou: answers,
      })
      .openapi({
        description: 'Every automatic SMS answer as it will be sent, per language, with its segment count',
      }),
  })
  .openapi('Organization');

const nullableText = z.string().trim().min(1).max(320).nullable();
export const OrganizationPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    helpText: z.strictObject({ en: nullableText.optional(), km: nullableText.optional() }).optional(),
    helpContact: z.string().trim().min(1).max(100).nullable().optional(),
    autoReplies: autoReplyPatchSchema.optional(),
    defaultTimezone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as America/New_York')
      .nullable()
      .optional(),
    twilioAdvancedOptOut: z.boolean().optional(),
    requirePasskey: z.boolean().optional(),
    email: emailSenderPatchSchema.optional(),
  })
  .openapi('OrganizationPatch', {
    example: {
      helpContact: 'help@ua-network.example',
      helpText: { km: 'UA៖ ឆ្លើយ ឈប់ ដើម្បីឈប់។ ជំនួយ៖ help@ua-network.example' },
      autoReplies: { doneThankYou: { enabled: true } },
      defaultTimezone: 'America/New_York',
      twilioAdvancedOptOut: false,
      email: {
        senderName: 'Khmer UA Network',
        replyTo: 'team@ua-network.example',
        postalAddress: 'PO Box 123\nLowell, MA 01852',
        logoUrl: 'https://ua-network.example/logo.png',
      },
    },
  });

/** The settings with every automatic answer rendered, so organizers see texts and segment counts. */
export function organizationView(o: OrganizationSettings) {
  const render = (kind: Parameters<typeof autoReplyText>[0], own: (v: OrgVoice) => unknown) =>
    Object.fromEntries(
      LOCALES.map((l) => {
        const text = autoReplyText(kind, l, o);
        return [
          l,
          {
            text,
            segments: countSegments(text).segments,
            custom: Boolean((own(o) as Record<string, unknown>)?.[l]),
          },
        ];
      }),
    ) as z.infer<typeof answers>;
  return {
    ...o,
    defaultTimezone: organizationZone(o.defaultTimezone, o.defaultRegion),
    defaultTimezoneSet: o.defaultTimezone !== null,
    helpContact: o.helpContact ?? null,
    answers: {
      help: render('help', (v) => v.helpText),
      optOutConfirmation: render('opt_out_confirmation', (v) => v.autoReplies.confirmations?.optOut),
      optInConfirmation: render('opt_in_confirmation', (v) => v.autoReplies.confirmations?.optIn),
      doneThankYou: render('done_thank_you', (v) => v.autoReplies.doneThankYou?.text),
    },
  };
}

const getRoute = createRoute({
  method: 'get',
  path: '/v1/organization',
  tags: ['organization'],
  summary: "The organization's settings, with every automatic SMS answer as it will be sent",
  security,
  responses: { 200: json(OrganizationSchema, 'The settings'), ...errorResponses },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/organization',
  tags: ['organization'],
  summary: 'Change any subset of the settings (a text set to null returns to its default); audited',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: OrganizationPatchSchema } } } },
  responses: { 200: json(OrganizationSchema, 'The settings after the change'), ...errorResponses },
});

export function registerOrganizationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql } = deps;
  // Every member reads the settings; only owners (and admin tokens) change them.
  app.use('/v1/organization', requireRole(sql, ['organizer', 'admin']));

  app.openapi(getRoute, async (c) => {
    const settings = await organizationSettings(sql, c.get('principal').orgId);
    if (!settings) throw notFound('No such organization');
    return c.json(organizationView(settings), 200);
  });

  app.openapi(patchRoute, async (c) => {
    const principal = c.get('principal');
    assertOwner(principal.role);
    const patch = c.req.valid('json');
    const settings = await sql.begin(async (tx) => {
      const updated = await updateOrganizationSettings(tx, principal.orgId, patch);
      if (updated) {
        await audit(tx, principal, 'organization.update', `organization:${principal.orgId}`, {
          fields: Object.keys(patch),
        });
      }
      return updated;
    });
    if (!settings) throw notFound('No such organization');
    return c.json(organizationView(settings), 200);
  });
}
