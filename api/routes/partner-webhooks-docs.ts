import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import { json, problem } from '../schemas/common';

const partnerIdParam = {
  name: 'partnerId',
  in: 'path' as const,
  required: true,
  schema: { type: 'string' as const, format: 'uuid' },
};
const header = (name: string, description: string) => ({
  name,
  in: 'header' as const,
  required: true,
  description,
  schema: { type: 'string' as const },
});

const fieldErrors = {
  type: 'array',
  items: {
    type: 'object',
    properties: { path: { type: 'string' }, message: { type: 'string' } },
    required: ['path', 'message'],
  },
};

const SUPPRESSED_DESCRIPTION =
  'Channels claimed with consent whose phone or email is on the suppression list: the supporter is upserted but stays opted out there. Partners are not told why (the entry may come from another organization on the same sender); organizers see the source on the supporter.';
const suppressedList = {
  type: 'array',
  items: {
    type: 'object',
    properties: { channel: { type: 'string', enum: ['sms', 'email'] } },
    required: ['channel'],
  },
};

/** The OpenAPI entries of the partner webhook routes (raw bodies, so documented by hand). */
export function partnerWebhookDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'osdiApiToken', {
    type: 'apiKey',
    in: 'header',
    name: 'OSDI-API-Token',
    description: "The partner's webhook secret (whsec_…), for Action Network, which cannot sign.",
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'osdiApiTokenQuery', {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The same secret as a query parameter, for senders that cannot set headers.',
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/webhooks/partners/{partnerId}',
    tags: ['webhooks'],
    summary: 'Partner event, signed with Standard Webhooks (campaign.start, supporter.upsert)',
    description: [
      'Signature: `webhook-signature` is `v1,` + base64 HMAC-SHA256 of `webhook-id.webhook-timestamp.body`',
      "with the partner's `whsec_` secret; the timestamp must be within 5 minutes. `webhook-id` is the",
      'idempotency key: a redelivery gets the first answer (same status and body) and starts nothing.',
      "A campaign's id derives from (partner, webhook-id). Only 202 answers are recorded: a refused",
      'event can be redelivered after it is fixed on our side (for example, a widened scope).',
    ].join(' '),
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: {
              oneOf: [
                {
                  type: 'object',
                  properties: {
                    type: { const: 'campaign.start' },
                    data: { type: 'object', description: 'A POST /v1/campaigns body' },
                  },
                  required: ['type', 'data'],
                },
                {
                  type: 'object',
                  properties: {
                    type: { const: 'supporter.upsert' },
                    data: { $ref: '#/components/schemas/SupporterInput' },
                  },
                  required: ['type', 'data'],
                },
              ],
            },
          },
        },
      },
    },
    parameters: [
      partnerIdParam,
      header('webhook-id', 'Unique per event; the idempotency key (at most 256 characters)'),
      header('webhook-timestamp', 'Unix seconds; refused when more than 5 minutes off'),
      header('webhook-signature', '`v1,<base64>`, several separated by spaces during secret rotation'),
    ],
    responses: {
      202: json(
        {
          oneOf: [
            {
              type: 'object',
              properties: { campaignId: { type: 'string', format: 'uuid' } },
              required: ['campaignId'],
            },
            {
              type: 'object',
              properties: {
                supporterId: { type: 'string', format: 'uuid' },
                suppressed: { ...suppressedList, description: SUPPRESSED_DESCRIPTION },
              },
              required: ['supporterId'],
            },
          ],
        },
        'Accepted: the campaign started, or the supporter upserted (or the same answer again)',
      ),
      400: problem('Signed, but not a valid event; each bad field is listed under data.…', ['invalid-input']),
      401: problem('Unknown partner, or missing, invalid or stale signature', ['unauthorized']),
      403: problem("The campaign kind is outside the partner's scopes", ['forbidden']),
      413: problem('Body larger than 256 KiB', ['payload-too-large']),
      415: problem('Not JSON', ['unsupported-media-type']),
      503: problem('Orchestration unavailable; redeliver later', ['orchestration-unavailable']),
    },
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/webhooks/partners/{partnerId}/osdi',
    tags: ['webhooks'],
    summary: 'Action Network (OSDI) webhook array: upserts the people it carries',
    description: [
      'Items: `osdi:submission`, `osdi:signature`, `osdi:attendance`, `osdi:outreach`, `osdi:donation`,',
      '`action_network:upload`, `action_network:action` (or any other key holding one), each with a',
      '`person` (names, email_addresses, phone_numbers, postal_addresses, languages_spoken) and `add_tags`.',
      'Numbers sent as JSON numbers are read as text. A part of a person that cannot be used (a bad phone,',
      'a field of the wrong shape) is dropped and listed in `warnings`; only an item left without a phone',
      'or email is rejected.',
      'Email consent: an email address counts unless its status is unsubscribed, bouncing or complained.',
      'SMS consent: only a phone entry with status (or sms_status) `subscribed` on a mobile number.',
      'Fields an item leaves out (consent, language, time zone) keep their value on a known supporter;',
      'the time zone of a new one is guessed from the postal address. Body limit: 1 MiB.',
    ].join(' '),
    security: [{ osdiApiToken: [] }, { osdiApiTokenQuery: [] }],
    parameters: [partnerIdParam],
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'array', items: { type: 'object' } },
            example: [
              {
                'osdi:submission': {
                  person: {
                    given_name: 'Sophea',
                    family_name: 'Chan',
                    email_addresses: [{ address: 's@example.org', primary: true, status: 'subscribed' }],
                    phone_numbers: [
                      { number: '19785550100', primary: true, number_type: 'Mobile', status: 'subscribed' },
                    ],
                    postal_addresses: [{ region: 'MA', country: 'US' }],
                    languages_spoken: ['km'],
                  },
                  add_tags: ['lowell'],
                },
              },
            ],
          },
        },
      },
    },
    responses: {
      200: json(
        {
          type: 'object',
          properties: {
            upserted: { type: 'integer' },
            rejected: {
              type: 'array',
              items: {
                type: 'object',
                properties: { index: { type: 'integer' }, errors: fieldErrors },
                required: ['index', 'errors'],
              },
            },
            warnings: {
              type: 'array',
              description: 'Parts of upserted items that could not be used and were dropped',
              items: {
                type: 'object',
                properties: {
                  index: { type: 'integer' },
                  path: { type: 'string' },
                  message: { type: 'string' },
                },
                required: ['index', 'path', 'message'],
              },
            },
            suppressed: {
              type: 'array',
              description: SUPPRESSED_DESCRIPTION,
              items: {
                type: 'object',
                properties: { index: { type: 'integer' }, ...suppressedList.items.properties },
                required: ['index', 'channel', 'source'],
              },
            },
          },
          required: ['upserted', 'rejected', 'warnings', 'suppressed'],
        },
        'Upserted count, and each rejected item by 0-based index',
      ),
      400: problem('Not an array of OSDI items', ['invalid-input']),
      401: problem('Unknown partner, or missing or wrong token', ['unauthorized']),
      413: problem('Body larger than 1 MiB', ['payload-too-large']),
      415: problem('Not JSON', ['unsupported-media-type']),
    },
  });
}
