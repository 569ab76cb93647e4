import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { suppressionKeys } from '../../core/runtime';
import { recordAudit } from '../../db/audit';
import { findReceipt, type StoredAnswer } from '../../db/partner-receipts';
import { claimReceipt } from '../../db/webhook-receipts';
import type { AppDeps, AppEnv } from '../context';
import { badRequest, invalid, ProblemError } from '../errors/problem';
import { upsertOsdiItems } from '../import/osdi-import';
import { OSDI_KINDS, personKind } from '../import/osdi-person';
import { orgInput } from '../import/supporter-input';
import { limitedText } from '../middleware/body-stream';
import { bodyText } from '../middleware/body-text';
import { osdiPartner, verifiedPartner } from '../middleware/partner-auth';
import { handlePartnerEvent, PartnerEventSchema } from '../services/partner-events';
import { partnerWebhookDocs } from './partner-webhooks-docs';

export const PARTNER_WEBHOOK_PATH = '/v1/webhooks/partners/:partnerId';
export const OSDI_WEBHOOK_PATH = '/v1/webhooks/partners/:partnerId/osdi';
/** OSDI arrays are exempt from the app-wide 256 KiB JSON limit (api/app.ts) and capped here. */
export const MAX_OSDI_BYTES = 1024 * 1024;
const MAX_WEBHOOK_ID = 256;

function requireJsonBody(c: Context) {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!/^application\/(?:[\w.+-]+\+)?json$/.test(type))
    throw new ProblemError(415, 'Unsupported media type', 'Send the body as application/json');
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('Body is not JSON');
  }
}

const replay = (c: Context, answer: StoredAnswer) =>
  c.json(answer.response as object, answer.status as ContentfulStatusCode);

export function registerPartnerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { sql, log } = deps;
  const keys = suppressionKeys(deps.config);

  app.post(PARTNER_WEBHOOK_PATH, async (c) => {
    const raw = await bodyText(c);
    const headers = {
      'webhook-id': c.req.header('webhook-id') ?? '',
      'webhook-timestamp': c.req.header('webhook-timestamp') ?? '',
      'webhook-signature': c.req.header('webhook-signature') ?? '',
    };
    const partner = await verifiedPartner(sql, log, c.req.param('partnerId'), raw, headers);
    requireJsonBody(c);
    const webhookId = headers['webhook-id'];
    if (webhookId.length > MAX_WEBHOOK_ID) {
      throw badRequest('webhook-id is too long', [
        { path: 'webhook-id', message: `at most ${MAX_WEBHOOK_ID} characters` },
      ]);
    }
    // webhook-id is the idempotency key: a redelivery gets the recorded answer and starts nothing.
    const source = `partner:${partner.id}`;
    const earlier = await findReceipt(sql, source, webhookId);
    if (earlier) return replay(c, earlier);

    const event = PartnerEventSchema.safeParse(parseJson(raw));
    if (!event.success) throw invalid(event.error);
    // Only successes are recorded: a refused event (400, 403, 503) may succeed when redelivered
    // after the partner's scopes or the service change, and acting on it twice is harmless because
    // campaign ids derive from the webhook id and supporters are upserted.
    const answer = await handlePartnerEvent(deps, partner, webhookId, event.data);
    const claimed = await claimReceipt(sql, {
      source,
      externalId: webhookId,
      orgId: partner.org_id,
      status: answer.status,
      response: answer.body,
    });
    // A concurrent delivery of the same id recorded first: answer exactly what it answered.
    const first = claimed ? undefined : await findReceipt(sql, source, webhookId);
    return first ? replay(c, first) : c.json(answer.body, answer.status);
  });

  app.post(OSDI_WEBHOOK_PATH, async (c) => {
    const token = c.req.header('osdi-api-token') ?? c.req.query('token');
    const partner = await osdiPartner(sql, c.req.param('partnerId'), token);
    requireJsonBody(c);
    const body = parseJson(await limitedText(c, MAX_OSDI_BYTES));
    // Action Network posts arrays; a single item is accepted as an array of one.
    const isItem = !Array.isArray(body) && personKind(body) !== undefined;
    const items = Array.isArray(body) ? body : isItem ? [body] : undefined;
    if (!items) {
      throw badRequest('Expected an array of OSDI items', [
        { path: '(root)', message: `an array of objects with one of ${OSDI_KINDS.join(', ')}` },
      ]);
    }
    const org = await orgInput(sql, partner.org_id);
    const result = await upsertOsdiItems(sql, partner.org_id, org, items, keys);
    await recordAudit(sql, {
      orgId: partner.org_id,
      actor: { type: 'partner', id: partner.id },
      action: 'supporter.osdi',
      target: `partner:${partner.id}`,
      detail: {
        upserted: result.upserted,
        rejected: result.rejected.length,
        warnings: result.warnings.length,
        suppressed: result.suppressed.length,
      },
    });
    return c.json(result, 200);
  });

  partnerWebhookDocs(app);
}
