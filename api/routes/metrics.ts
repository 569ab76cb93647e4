import type { OpenAPIHono } from '@hono/zod-openapi';
import { bearerMatchesToken } from '../../core/bearer';
import { METRICS_CONTENT_TYPE, metrics, metricsText } from '../../core/metrics';
import type { RefusalCode } from '../../domain/refusals';
import type { AppDeps, AppEnv } from '../context';

export const METRICS_PATH = '/metrics';

/** The problem code each refusal status stands for on a webhook (api/errors): a fixed vocabulary. */
const REFUSAL_BY_STATUS: Record<number, RefusalCode> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'webhooks-not-configured',
};

const sourceOf = (path: string) =>
  path.startsWith('/v1/webhooks/twilio/status')
    ? 'twilio_status'
    : path.startsWith('/v1/webhooks/twilio/inbound')
      ? 'twilio_inbound'
      : path.startsWith('/v1/webhooks/resend')
        ? 'resend'
        : 'partner';

/** Counts a webhook answered with `status` when it is a refusal (4xx, 5xx), by source and problem code. */
export function countWebhookAnswer(path: string, status: number): void {
  if (status >= 400)
    metrics.webhookRefused(
      sourceOf(path),
      REFUSAL_BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'request-error'),
    );
}

/**
 * Counts refused webhooks by source and problem code. Registered before the rate limiter so its
 * 429s are counted too.
 */
export function registerWebhookRefusalCounter(app: OpenAPIHono<AppEnv>) {
  app.use('/v1/webhooks/*', async (c, next) => {
    await next();
    countWebhookAnswer(c.req.path, c.res.status);
  });
}

/**
 * GET /metrics: this process's metrics in the Prometheus text format. Never behind the org API
 * tokens: an operator's scraper is no organization. Open when METRICS_TOKEN is unset (loopback
 * development, or a network that only lets the scraper in); with it, `Authorization: Bearer`.
 */
export function registerMetricsRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const token = deps.config.METRICS_TOKEN;
  app.get(METRICS_PATH, async (c) => {
    if (token && !bearerMatchesToken(c.req.header('authorization'), token)) {
      return c.text('metrics token required\n', 401, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    return c.body(await metricsText(), 200, { 'content-type': METRICS_CONTENT_TYPE });
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: METRICS_PATH,
    tags: ['operations'],
    summary: 'Prometheus metrics of this API process (Bearer METRICS_TOKEN when configured)',
    responses: {
      200: {
        description: 'Prometheus text format',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      401: { description: 'METRICS_TOKEN is set and the request does not carry it' },
    },
  });
}
