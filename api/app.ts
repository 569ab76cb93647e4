import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { findToken } from '../db/tenants';
import { bearer } from './auth';
import type { AppDeps, AppEnv } from './context';
import { createErrorHandler, problemJson } from './error-handler';
import { fieldErrors, problemBody } from './problem';
import { registerRateLimits } from './rate-limit';
import { requestLog } from './request-log';
import { registerCampaignRoutes } from './routes/campaigns';
import { registerCodecRoutes } from './routes/codec';
import { registerDocsRoutes } from './routes/docs';
import { registerHealthRoutes } from './routes/health';
import { registerInboundRoutes } from './routes/register-inbound';
import { registerSupporterRoutes } from './routes/supporters';

const MAX_JSON_BODY = 256 * 1024;

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    // zod validation failures of any route become one problem+json naming each field.
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = fieldErrors(result.error);
        return problemJson(
          c,
          400,
          problemBody(400, 'Invalid input', `Invalid ${errors.map((e) => e.path).join(', ')}`, errors),
        );
      }
    },
  });
  app.use(requestId());
  app.use(requestLog(deps.log));
  app.use(secureHeaders());
  registerRateLimits(app, deps.config);
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_JSON_BODY,
      onError: (c) =>
        problemJson(c, 413, problemBody(413, 'Payload too large', `Limit is ${MAX_JSON_BODY} bytes`)),
    }),
  );
  app.onError(createErrorHandler(deps.log));
  app.notFound((c) =>
    problemJson(c, 404, problemBody(404, 'Not found', `No route for ${c.req.method} ${c.req.path}`)),
  );

  registerHealthRoutes(app, deps);
  registerSupporterRoutes(app, deps);
  registerCampaignRoutes(app, deps);
  registerCodecRoutes(app, deps, async (header) => {
    const token = bearer(header);
    const who = token ? await findToken(deps.sql, token) : undefined;
    return who?.role === 'organizer' || who?.role === 'admin';
  });
  registerInboundRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token: organizer, partner or admin, bound to one organization.',
  });

  registerDocsRoutes(app);
  return app;
}
