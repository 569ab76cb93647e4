import type { Client } from '@temporalio/client';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import type { PayloadKeys } from '../core/payload-codec';
import type { Sql } from '../db/client';

/** Everything a route needs, handed to the app factory once. */
export interface AppDeps {
  sql: Sql;
  temporal: Client;
  config: Config;
  log: Logger;
  keys: PayloadKeys;
  publicBaseUrl: string;
}

export interface Principal {
  tokenId: string;
  orgId: string;
  role: 'organizer' | 'partner' | 'admin';
  partnerId: string | null;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    principal: Principal;
  };
};
