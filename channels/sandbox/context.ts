import type { DeliveryChannel } from '../../domain/channels';
import type { CallbackDispatcher } from './callbacks';
import type { FaultInjector } from './faults';
import type { IdempotencyCache } from './idempotency';
import type { SandboxLogger } from './logger';
import type { SandboxMessage, SandboxStore } from './store';

/** What the route groups share; built once by createSandboxApp. */
export interface SandboxDeps {
  accountSid: string;
  authToken: string;
  /** When set, Resend calls must carry exactly this key; otherwise any Bearer token is accepted. */
  resendApiKey: string | undefined;
  /** The number inbound messages are addressed to when the caller names none. */
  inboundTo: string;
  store: SandboxStore;
  faults: FaultInjector;
  idempotency: IdempotencyCache;
  callbacks: CallbackDispatcher;
  log: SandboxLogger;
  /** Log recipients and content too (off by default: they are contact details). */
  logContent: boolean;
  now: () => Date;
}

export function logAccepted(deps: SandboxDeps, channel: DeliveryChannel, msg: SandboxMessage): void {
  const content = deps.logContent ? { to: msg.to, body: msg.body, subject: msg.subject } : {};
  deps.log.info({ channel, id: msg.id, segments: msg.segments, ...content }, 'sandbox accepted message');
}
