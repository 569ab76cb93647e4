import type { Client } from '@temporalio/client';
import type { EmailChannel } from '../channels/email-channel';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import type { PayloadKeys } from '../core/payload-codec';
import type { Sql } from '../db/client';
import type { Role } from '../db/tenants';

/** Everything a route needs, handed to the app factory once. */
export interface AppDeps {
  sql: Sql;
  /**
   * The pool the status-callback batches write through (db/sms-status-batch.ts): connectDatabase
   * with genericPlans, so the batch statement is not re-planned over every monthly partition of
   * deliveries each time. Default: `sql` (correct, with more database CPU per callback).
   */
  statusSql?: Sql;
  temporal: Client;
  config: Config;
  log: Logger;
  keys: PayloadKeys;
  publicBaseUrl: string;
  /** Invitation emails; default: Resend (or the sandbox) from config, when RESEND_API_KEY is set. */
  email?: EmailChannel;
  /** True once the process is shutting down: /readyz answers 503 so balancers stop sending. */
  draining?: () => boolean;
}

/**
 * Who is calling: an API token (tokenId set) or a person signed in to the console (personId set,
 * tokenId null). Role is the token's role or the person's role in orgId.
 */
export interface Principal {
  tokenId: string | null;
  personId?: string;
  orgId: string;
  role: Role;
  partnerId: string | null;
}

/** Bindings the console passes to the app's own `request()`: the signed-in person, never set over HTTP. */
export interface ConsoleBindings {
  consolePrincipal?: Principal;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    principal: Principal;
  };
};
