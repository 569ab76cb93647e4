// Pure parts of the production-shaped Temporal cluster: its ports, the server's static config (one
// file per service process) and its dynamic config. No I/O here; infra/cluster/cluster.ts writes them.

/** The four Temporal services, each run as its own `server start --service <name>` process. */
export const CLUSTER_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** History shards: fixed at schema time for the life of a cluster (4 is the development default). */
export const HISTORY_SHARDS = 4;

/** Temporal keeps membership ports in a SMALLINT column (`cluster_membership.rpc_port`). */
export const MAX_MEMBERSHIP_PORT = 32_767;

/** Loopback ports of one service process: gRPC, ringpop membership and Prometheus metrics. */
export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
}

export interface ClusterPorts {
  services: Record<ClusterService, ServicePorts>;
  /** The frontend's HTTP API (Nexus callbacks, the HTTP API of the SDKs). */
  frontendHttp: number;
  /** The Web UI (ui-server), when it runs. */
  ui: number;
}

/**
 * Picks every port the cluster needs from `next` (infra/cluster/ports.ts), refusing duplicates and
 * ports above MAX_MEMBERSHIP_PORT: 14 distinct ports. Throws if `next` keeps handing out such ports.
 */
export async function allocateClusterPorts(next: () => Promise<number>): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const take = async () => {
    for (let i = 0; i < 20; i++) {
      const port = await next();
      if (!taken.has(port) && port <= MAX_MEMBERSHIP_PORT) {
        taken.add(port);
        return port;
      }
    }
    throw new Error(
      `the port allocator keeps returning ports already taken by the cluster or above ${MAX_MEMBERSHIP_PORT}`,
    );
  };
  const services = {} as Record<ClusterService, ServicePorts>;
  for (const name of CLUSTER_SERVICES)
    services[name] = { grpc: await take(), membership: await take(), metrics: await take() };
  return { services, frontendHttp: await take(), ui: await take() };
}

/** Where Temporal keeps its state: two databases on one PostgreSQL server. */
export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Default `temporal` and `temporal_visibility`. */
  database: string;
  visibilityDatabase: string;
}

/**
 * The server's static config for the process running `service`, as a JSON value (JSON is YAML, so
 * it is written as `<env>.yaml` and loaded by `server --env <service>`). Shaped like the module's
 * `config/development-postgres12.yaml` with our ports and credentials; only the metrics listener
 * differs between the four processes. Membership is ringpop over the `cluster_membership` table, as
 * in a real multi-host deployment.
 */
export function serverConfig(opts: {
  service: ClusterService;
  ports: ClusterPorts;
  db: ClusterDatabase;
  dynamicConfigFile: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}): Record<string, unknown> {
  const { ports, db } = opts;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const services: Record<string, unknown> = {};
  for (const name of CLUSTER_SERVICES) {
    const p = ports.services[name];
    services[name] = {
      rpc: {
        grpcPort: p.grpc,
        membershipPort: p.membership,
        bindOnLocalHost: true,
        ...(name === 'frontend' ? { httpPort: ports.frontendHttp } : {}),
      },
    };
  }
  return {
    log: { stdout: true, level: opts.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        // Per process: 4 × (10 + 2) of the server's connections, beside the service's own pools.
        'postgres-default': datastore(db.database, 10),
        'postgres-visibility': datastore(db.visibilityDatabase, 2),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${ports.services[opts.service].metrics}`,
        },
      },
    },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.services.frontend.grpc}`,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: {
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    },
    dynamicConfigClient: { filepath: opts.dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * Dynamic config (YAML as JSON: key → [{ value, constraints }]). One partition per task queue, as
 * the dev server runs (infra/temporal-dev-server.ts): the server splits a queue's activity rate
 * limit across its partitions, which would slow a delivery queue's pages.
 */
export function dynamicConfig(): Record<string, Array<{ value: unknown; constraints: object }>> {
  const v = (value: unknown) => [{ value, constraints: {} }];
  return {
    'matching.numTaskqueueReadPartitions': v(1),
    'matching.numTaskqueueWritePartitions': v(1),
    // As the dev server: room for the console's list queries (the default is 10 per second).
    'frontend.namespaceRPS.visibility': v(100),
  };
}

/** The frontend address clients use (`TEMPORAL_ADDRESS`). */
export function frontendAddress(ports: ClusterPorts): string {
  return `127.0.0.1:${ports.services.frontend.grpc}`;
}

/** Arguments of one service process; the config folder holds `<service>.yaml`. */
export function serviceArgs(opts: { root: string; service: ClusterService }): string[] {
  return [
    '--root',
    opts.root,
    '--config',
    'config',
    '--env',
    opts.service,
    '--allow-no-auth',
    'start',
    '--service',
    opts.service,
  ];
}

/**
 * Arguments of the SQL tool for one database: `[...connection, command, ...commandArgs]`.
 * `plugin` postgres12 is the tool's name for PostgreSQL 12 and later.
 */
export function sqlToolArgs(db: ClusterDatabase, database: string, command: string[]): string[] {
  return [
    '--plugin',
    'postgres12',
    '--ep',
    db.host,
    '-p',
    String(db.port),
    '-u',
    db.user,
    '--pw',
    db.password,
    '--db',
    database,
    ...command,
  ];
}
