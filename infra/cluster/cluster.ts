import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForFrontend } from '../temporal-frontend';
import { type ClusterBinaries, ensureClusterBinaries } from './binaries';
import {
  allocateClusterPorts,
  CLUSTER_SERVICES,
  type ClusterDatabase,
  type ClusterPorts,
  type ClusterService,
  dynamicConfig,
  frontendAddress,
  serverConfig,
  serviceArgs,
} from './config';
import { registerNamespace, waitForWorkflowStart } from './namespace';
import { type ManagedProcess, managedProcess } from './process';
import { applyTemporalSchema, waitForClusterMetadata } from './schema';
import { uiConfig, waitForHttp } from './ui';

export interface TemporalCluster {
  /** `TEMPORAL_ADDRESS` of the frontend. */
  address: string;
  namespace: string;
  ports: ClusterPorts;
  /** The four service processes by name. */
  services: Record<ClusterService, ManagedProcess>;
  /** Web UI URL, or null when headless or the UI could not be built. */
  uiUrl: string | null;
  /** Prometheus endpoints of the four services. */
  metricsUrls: Record<ClusterService, string>;
  /** The pids of every running server process (CPU accounting). */
  pids(): number[];
  /** Stops every service (and the UI), waits `downMs`, starts them again and waits until a workflow can start. */
  restart(downMs: number): Promise<void>;
  /** Starts one service again after a kill and waits until the cluster takes workflows again. */
  restartService(service: ClusterService): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Temporal cluster on this machine shaped like a self-hosted deployment: the server built from
 * source (infra/cluster/binaries.ts), its state in two PostgreSQL databases on `db`'s server,
 * frontend, history, matching and worker as four processes that find each other through the
 * `cluster_membership` table, the namespace and our search attributes registered with the CLI,
 * and (unless headless) the Web UI the CLI embeds, pointed at the frontend.
 * `dir` holds the generated config and one log file per process.
 */
export async function startTemporalCluster(opts: {
  dir: string;
  db: ClusterDatabase;
  temporalCli: string;
  freePort: () => Promise<number>;
  namespace?: string;
  headless?: boolean;
  codecEndpoint?: string;
  binaries?: ClusterBinaries;
  log: (line: string) => void;
  onSpawn?: (name: string, pid: number) => void;
}): Promise<TemporalCluster> {
  const namespace = opts.namespace ?? 'default';
  const bins = opts.binaries ?? (await ensureClusterBinaries(opts.log, { ui: !opts.headless }));
  await applyTemporalSchema({
    sqlTool: bins.sqlTool,
    serverModuleDir: bins.serverModuleDir,
    db: opts.db,
    log: opts.log,
  });
  const ports = await allocateClusterPorts(opts.freePort);
  const configDir = join(opts.dir, 'config');
  const logDir = join(opts.dir, 'logs');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const dynamicConfigFile = join(configDir, 'dynamic.yaml');
  writeFileSync(dynamicConfigFile, `${JSON.stringify(dynamicConfig(), null, 2)}\n`);
  for (const service of CLUSTER_SERVICES)
    writeFileSync(
      join(configDir, `${service}.yaml`),
      `${JSON.stringify(serverConfig({ service, ports, db: opts.db, dynamicConfigFile }), null, 2)}\n`,
      { mode: 0o600 },
    );
  const address = frontendAddress(ports);
  const services = {} as Record<ClusterService, ManagedProcess>;
  const all: ManagedProcess[] = [];
  // All at once: each service drains for a few seconds on SIGTERM, then SIGKILL after 10 s.
  const stopAll = async () => {
    await Promise.all(all.map((p) => p.stop().catch(() => {})));
  };
  try {
    // History first, alone until it has written the cluster metadata (see waitForClusterMetadata);
    // the frontend and matching route to it as soon as they start.
    for (const service of ['history', 'matching', 'frontend', 'worker'] as const) {
      if (service === 'matching') await waitForClusterMetadata(opts.db, 90_000, () => deadService(services));
      const p = managedProcess({
        name: `temporal-${service}`,
        command: bins.server,
        args: serviceArgs({ root: opts.dir, service }),
        env: process.env,
        logFile: join(logDir, `${service}.log`),
        onSpawn: (pid) => opts.onSpawn?.(`Temporal ${service}`, pid),
      });
      services[service] = p;
      all.push(p);
    }
    await waitForFrontend(address, 90_000, {
      what: 'the Temporal frontend',
      dead: () => deadService(services),
    });
    await registerNamespace({ cli: opts.temporalCli, address, namespace, log: opts.log });
    await waitForWorkflowStart(address, namespace, 120_000, () => deadService(services));
    let uiUrl: string | null = null;
    let ui: ManagedProcess | null = null;
    if (!opts.headless && bins.ui) {
      const uiRoot = join(opts.dir, 'ui');
      mkdirSync(join(uiRoot, 'config'), { recursive: true });
      writeFileSync(
        join(uiRoot, 'config', 'development.yaml'),
        `${JSON.stringify(uiConfig({ address, port: ports.ui, namespace, codecEndpoint: opts.codecEndpoint }), null, 2)}\n`,
      );
      ui = managedProcess({
        name: 'temporal-ui',
        command: bins.ui,
        args: ['--root', uiRoot, '--config', 'config', '--env', 'development', 'start'],
        env: process.env,
        logFile: join(logDir, 'ui.log'),
        onSpawn: (pid) => opts.onSpawn?.('Temporal Web UI', pid),
      });
      all.push(ui);
      uiUrl = `http://127.0.0.1:${ports.ui}`;
      await waitForHttp(uiUrl, 30_000).catch((err: unknown) => {
        opts.log(`the Web UI did not answer (${String(err)}); see ${join(logDir, 'ui.log')}`);
        uiUrl = null;
      });
    }
    const metricsUrls = Object.fromEntries(
      CLUSTER_SERVICES.map((s) => [s, `http://127.0.0.1:${ports.services[s].metrics}/metrics`]),
    ) as Record<ClusterService, string>;
    return {
      address,
      namespace,
      ports,
      services,
      uiUrl,
      metricsUrls,
      pids: () => all.map((p) => p.pid).filter((pid) => pid > 0),
      async restart(downMs) {
        await Promise.all(CLUSTER_SERVICES.map((s) => services[s].stop()));
        await new Promise((r) => setTimeout(r, downMs));
        for (const s of ['history', 'matching', 'frontend', 'worker'] as const) services[s].start();
        await waitForFrontend(address, 90_000, {
          what: 'the Temporal frontend',
          dead: () => deadService(services),
        });
        await waitForWorkflowStart(address, namespace, 120_000, () => deadService(services));
      },
      async restartService(service) {
        services[service].start();
        await waitForFrontend(address, 90_000, {
          what: 'the Temporal frontend',
          dead: () => deadService(services),
        });
        await waitForWorkflowStart(address, namespace, 120_000, () => deadService(services));
      },
      stop: stopAll,
    };
  } catch (err) {
    const dead = deadService(services);
    await stopAll();
    throw dead ? new Error(`${String(err)}; ${dead}`) : err;
  }
}

/** "temporal-history exited: <last log line>" for the first service that is down, or null. */
function deadService(services: Partial<Record<ClusterService, ManagedProcess>>): string | null {
  for (const p of Object.values(services)) {
    if (p && !p.alive) return `${p.name} exited: ${p.tail(3).replace(/\s+/g, ' ').slice(-400)}`;
  }
  return null;
}
