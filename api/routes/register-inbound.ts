import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../context';
import type { TwilioWebhookRequest } from '../services/twilio-form';
import { registerCaseLetterRoutes } from './case-letters';
import { registerLinkRoutes } from './links';
import { registerResendWebhookRoutes } from './resend-webhooks';
import { registerTwilioWebhookRoutes } from './twilio-webhooks';

/** What reaches us from outside without a bearer token: provider webhooks and supporter links. */
export function registerInboundRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDeps,
  handlers: { twilioStatus: (req: TwilioWebhookRequest) => Promise<void> },
) {
  registerTwilioWebhookRoutes(app, deps, handlers.twilioStatus);
  registerResendWebhookRoutes(app, deps);
  registerCaseLetterRoutes(app, deps);
  registerLinkRoutes(app, deps);
}
