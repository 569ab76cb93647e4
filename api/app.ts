import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { findToken } from '../db/tenants';
import { registerConsoleRoutes } from './console/register';
import type { AppDeps, AppEnv } from './context';
import { createErrorHandler } from './errors/error-handler';
import { fieldErrors, problemBody, problemResponse } from './errors/problem';
import { bearer } from './middleware/auth';
import { registerRateLimits } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';
import { registerActivityRoutes } from './routes/activity';
import { registerCampaignRoutes } from './routes/campaigns';
import { registerCodecRoutes } from './routes/codec';
import { registerDocsRoutes } from './routes/docs';
import { registerHealthRoutes } from './routes/health';
import { registerMemberRoutes } from './routes/members';
import { registerMetricsRoutes, registerWebhookRefusalCounter } from './routes/metrics';
import { registerOrganizationRoutes } from './routes/organization';
import { registerPartnerWebhookRoutes } from './routes/partner-webhooks';
import { registerInboundRoutes } from './routes/register-inbound';
import { registerStageTemplateRoutes } from './routes/stage-templates';
import { registerSupporterImportRoutes } from './routes/supporter-import';
import { registerSupporterMessageRoutes } from './routes/supporter-messages';
import { registerSupporterRoutes } from './routes/supporters';
import { registerSurveyRoutes } from './routes/surveys';
import { registerTokenRoutes } from './routes/tokens';
import { createTwilioStatusHandler } from './services/twilio-status';
import { twilioStatusFastPath } from './twilio-status-fast-path';

const MAX_JSON_BODY = 256 * 1024;
const OWN_BODY_LIMIT = /^\/v1\/(?:supporters\/import|webhooks\/partners\/[^/]+\/osdi)$/;

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    // zod validation failures of any route become one problem+json naming each field.
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = fieldErrors(result.error);
        return problemResponse(
          c,
          problemBody('invalid-input', `Invalid ${errors.map((e) => e.path).join(', ')}`, errors),
        );
      }
    },
  });
  app.use(requestId());
  app.use(requestLog(deps.log));
  app.use(secureHeaders());
  registerWebhookRefusalCounter(app);
  const webhookLimit = registerRateLimits(app, deps.config);
  const tooLarge = (c: Context) => {
    // The rest of the body is never read: close the connection so it cannot corrupt the next request.
    c.header('connection', 'close');
    return problemResponse(c, problemBody('payload-too-large', `Limit is ${MAX_JSON_BODY} bytes`));
  };
  const jsonBodyLimit = bodyLimit({ maxSize: MAX_JSON_BODY, onError: tooLarge });
  // CSV import and OSDI arrays stream their bodies under their own, larger limits. A declared length
  // (the framing Node's parser enforces) is checked from the header: asking for the body, as
  // bodyLimit does first, makes the Node adapter build a full web Request for every call.
  app.use('/v1/*', async (c, next) => {
    if (OWN_BODY_LIMIT.test(c.req.path) || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared =
      c.req.header('transfer-encoding') === undefined ? c.req.header('content-length') : undefined;
    if (declared !== undefined && /^\d+$/.test(declared)) {
      return Number(declared) > MAX_JSON_BODY ? tooLarge(c) : next();
    }
    return jsonBodyLimit(c, next);
  });
  app.onError(createErrorHandler(deps.log));
  app.notFound((c) =>
    problemResponse(c, problemBody('not-found', `No route for ${c.req.method} ${c.req.path}`)),
  );

  registerHealthRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  registerSupporterRoutes(app, deps);
  registerSupporterMessageRoutes(app, deps);
  registerOrganizationRoutes(app, deps);
  registerStageTemplateRoutes(app, deps);
  registerSupporterImportRoutes(app, deps);
  registerCampaignRoutes(app, deps);
  registerMemberRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerActivityRoutes(app, deps);
  registerSurveyRoutes(app, deps);
  registerCodecRoutes(app, deps, async (header) => {
    const token = bearer(header);
    const who = token ? await findToken(deps.sql, token) : undefined;
    return who?.role === 'owner' || who?.role === 'organizer' || who?.role === 'admin';
  });
  const twilioStatus = createTwilioStatusHandler(deps);
  registerInboundRoutes(app, deps, { twilioStatus });
  registerConsoleRoutes(app, deps);
  registerPartnerWebhookRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token bound to one organization: owner, organizer, translator, viewer (as the member roles), partner or admin (owner-level).',
  });

  registerDocsRoutes(app);
  const fastPath = twilioStatusFastPath({
    handle: twilioStatus,
    limit: webhookLimit,
    maxBodyBytes: MAX_JSON_BODY,
    log: deps.log,
  });
  return Object.assign(app, {
    /**
     * For @hono/node-server's `serve({ fetch, createServer })`: an HTTP server whose listener answers
     * Twilio status callbacks itself (api/twilio-status-fast-path.ts) and hands the rest to Hono.
     * `app.request()` and `app.fetch` go through Hono for everything.
     */
    createServer: ((options: ServerOptions, listener: RequestListener) =>
      createServer(options, (req, res) => {
        if (!fastPath(req, res)) listener(req, res);
      })) as typeof createServer,
  });
}
