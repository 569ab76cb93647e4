import { Hono } from 'hono';
import { CallbackDispatcher } from './callbacks';
import type { SandboxDeps } from './context';
import { registerControlRoutes } from './control-routes';
import { FaultInjector } from './faults';
import { IdempotencyCache } from './idempotency';
import { type SandboxLogger, silentLogger } from './logger';
import { problem } from './problem';
import { registerResendRoutes } from './resend-routes';
import { SandboxStore } from './store';
import { registerTwilioRoutes } from './twilio-routes';

export interface SandboxOptions {
  accountSid: string;
  authToken: string;
  /** `whsec_…`: signs the Resend (svix) events. */
  resendWebhookSecret: string;
  /**
   * Where the API listens; callbacks and inbound messages go there. Several API processes (the
   * production-shaped cluster): each post goes to the next one in turn, as behind a load balancer.
   */
  apiBaseUrl: string | readonly string[];
  /** The API's public URL, which Twilio signatures cover; defaults to (the first) apiBaseUrl. */
  publicBaseUrl?: string | undefined;
  /** Require this exact Resend API key; by default any Bearer token is accepted. */
  resendApiKey?: string | undefined;
  /** Post status webhooks (default true). Statuses advance either way. */
  callbacks?: boolean | undefined;
  /** Pause before each status step (default 50 ms). */
  callbackDelayMs?: number | undefined;
  callbackTimeoutMs?: number | undefined;
  /** Our number, the `To` of inbound messages (default +15005550006). */
  inboundTo?: string | undefined;
  logger?: SandboxLogger | undefined;
  /** Also log recipients and content; off by default. */
  logContent?: boolean | undefined;
  random?: (() => number) | undefined;
  now?: (() => Date) | undefined;
}

export interface SandboxApp {
  app: Hono;
  deps: SandboxDeps;
}

/** The provider sandbox as a Hono app: Twilio and Resend subsets plus /sandbox control routes. */
export function createSandboxApp(opts: SandboxOptions): SandboxApp {
  const log = opts.logger ?? silentLogger;
  const store = new SandboxStore();
  const faults = new FaultInjector(opts.random);
  const callbacks = new CallbackDispatcher({
    store,
    accountSid: opts.accountSid,
    authToken: opts.authToken,
    resendWebhookSecret: opts.resendWebhookSecret,
    apiBaseUrl: opts.apiBaseUrl,
    publicBaseUrl: opts.publicBaseUrl ?? [opts.apiBaseUrl].flat()[0] ?? '',
    enabled: opts.callbacks ?? true,
    stepDelayMs: opts.callbackDelayMs ?? 50,
    timeoutMs: opts.callbackTimeoutMs ?? 5000,
    log,
    drops: () => faults.dropsCallback(),
  });
  const deps: SandboxDeps = {
    accountSid: opts.accountSid,
    authToken: opts.authToken,
    resendApiKey: opts.resendApiKey,
    inboundTo: opts.inboundTo ?? '+15005550006',
    store,
    faults,
    idempotency: new IdempotencyCache(),
    callbacks,
    log,
    logContent: opts.logContent ?? false,
    now: opts.now ?? (() => new Date()),
  };

  const app = new Hono();
  app.onError((err, c) => {
    log.warn({ err: err.name, path: c.req.path }, 'sandbox request failed');
    return problem(c, 500, 'Internal error');
  });
  app.notFound((c) =>
    problem(c, 404, 'Not found', `${c.req.method} ${c.req.path} is not part of the sandbox`),
  );
  registerTwilioRoutes(app, deps);
  registerResendRoutes(app, deps);
  registerControlRoutes(app, deps);
  return { app, deps };
}
