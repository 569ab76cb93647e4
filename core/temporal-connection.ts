import type { Metadata } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { DEFAULT_TEMPORAL_ADDRESS } from './config';

/** What both `Connection.connect` (API) and `NativeConnection.connect` (workers) accept. */
export interface TemporalConnectionOptions {
  address: string;
  /** `true`: TLS with the system's roots (Temporal Cloud with an API key); an object: mTLS. */
  tls?: boolean | TLSConfig;
  apiKey?: string;
  /** gRPC headers (`TEMPORAL_GRPC_META_*`). */
  metadata?: Metadata;
}

/**
 * How to reach Temporal, read by Temporal's own environment configuration library
 * (`@temporalio/envconfig`), so the variables are the ones Temporal documents for every SDK and the CLI:
 * `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY` (Temporal Cloud API keys; implies
 * TLS), `TEMPORAL_TLS`, `TEMPORAL_TLS_CLIENT_CERT_PATH` / `_KEY_PATH` (mTLS, e.g. Temporal Cloud
 * certificates), `TEMPORAL_TLS_SERVER_CA_CERT_PATH`, `TEMPORAL_TLS_SERVER_NAME`,
 * `TEMPORAL_GRPC_META_*`; with `TEMPORAL_CONFIG_FILE` (and `TEMPORAL_PROFILE`) a TOML profile as
 * written by `temporal config set`. Without a config file variable no file is read, so a developer's
 * own CLI profile never redirects the service.
 *
 * The namespace stays `TEMPORAL_NAMESPACE` (core/config.ts), which every process reads for its task
 * queues and its Schedule.
 *
 * @throws when a named file cannot be read or the profile does not exist (the library's message).
 */
export function temporalConnection(env: NodeJS.ProcessEnv = process.env): TemporalConnectionOptions {
  const vars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  const fromFile = vars.TEMPORAL_CONFIG_FILE !== undefined || vars.TEMPORAL_PROFILE !== undefined;
  const { connectionOptions: c } = loadClientConnectConfig({
    overrideEnvVars: vars,
    disableFile: !fromFile,
  });
  return {
    address: c.address ?? DEFAULT_TEMPORAL_ADDRESS,
    ...(c.tls !== undefined && c.tls !== null ? { tls: c.tls } : {}),
    ...(typeof c.apiKey === 'string' ? { apiKey: c.apiKey } : {}),
    ...(c.metadata ? { metadata: c.metadata } : {}),
  };
}
