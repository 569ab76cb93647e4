import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { suppressionKeys } from '../../core/runtime';
import { recordReconsent } from '../../db/reconsent';
import { suppressionsOf } from '../../db/suppressions';
import { deliveryChannelSchema } from '../../domain/channels';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, notFound } from '../errors/problem';
import { toSupporter } from '../import/supporter-input';
import { errorResponses, IdParam, security } from '../schemas/common';
import { SupporterSchema } from '../schemas/supporter';
import { audit } from '../services/audit';

const ReconsentSchema = z
  .object({
    channel: deliveryChannelSchema,
    source: z.string().trim().min(2).max(200).openapi({
      description:
        'Where the supporter gave consent again (e.g. "signed paper form, Lowell vigil 2027-03-02"); kept in the audit log. No contact details.',
    }),
  })
  .strict()
  .openapi('Reconsent', {
    example: { channel: 'sms', source: 'signed paper form, Lowell vigil 2027-03-02' },
  });

const reconsentRoute = createRoute({
  method: 'post',
  path: '/v1/supporters/{id}/consent',
  tags: ['supporters'],
  summary: 'Record that the supporter gave consent again on a channel, with where it came from',
  description: [
    'The only way besides the owner texting START to undo an opt-out: consent claimed by',
    'POST /v1/supporters, an import or a partner never does. Takes the phone or email off the',
    'suppression list (for every organization sending through the same sender), clears this',
    "record's opt-out and sets its consent. A provider's verdict (invalid number, hard bounce) stays.",
  ].join(' '),
  security,
  request: {
    params: IdParam,
    body: { required: true, content: { 'application/json': { schema: ReconsentSchema } } },
  },
  responses: {
    200: { description: 'The supporter', content: { 'application/json': { schema: SupporterSchema } } },
    ...errorResponses,
  },
});

/** POST /v1/supporters/:id/consent; the caller has already required an organizer or admin token. */
export function registerSupporterConsentRoute(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const keys = suppressionKeys(deps.config);
  app.openapi(reconsentRoute, async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    const { channel, source } = c.req.valid('json');
    const outcome = await recordReconsent(deps.sql, keys, {
      orgId: principal.orgId,
      supporterId: id,
      channel,
    });
    if ('missing' in outcome) {
      if (outcome.missing === 'supporter') throw notFound('No such supporter');
      throw badRequest(`The supporter has no ${channel === 'sms' ? 'phone' : 'email'}`, [
        { path: 'channel', message: `no ${channel === 'sms' ? 'phone' : 'email'} to consent on` },
      ]);
    }
    await audit(deps.sql, principal, 'supporter.reconsent', `supporter:${id}`, { channel, source });
    const listed = await suppressionsOf(deps.sql, keys, outcome.supporter);
    return c.json(toSupporter(outcome.supporter, listed), 200);
  });
}
