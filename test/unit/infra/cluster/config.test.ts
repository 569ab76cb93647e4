import { describe, expect, it } from 'vitest';
import { parseClusterArgs } from '../../../../infra/cluster/args';
import {
  allocateClusterPorts,
  CLUSTER_SERVICES,
  type ClusterDatabase,
  dynamicConfig,
  frontendAddress,
  serverConfig,
  serviceArgs,
  sqlToolArgs,
} from '../../../../infra/cluster/config';
import { uiConfig } from '../../../../infra/cluster/ui';

const db: ClusterDatabase = {
  host: '127.0.0.1',
  port: 55432,
  user: 'temporal_user',
  password: 's3cret',
  database: 'temporal',
  visibilityDatabase: 'temporal_visibility',
};

/** Hands out 20000, 20001, … so every port is predictable. */
const counter = (start = 20_000) => {
  let next = start;
  return async () => next++;
};

describe('allocateClusterPorts', () => {
  it('gives every service its own gRPC, membership and metrics port, all distinct', async () => {
    const ports = await allocateClusterPorts(counter());
    const all = [
      ...CLUSTER_SERVICES.flatMap((s) => Object.values(ports.services[s])),
      ports.frontendHttp,
      ports.ui,
    ];
    expect(all).toHaveLength(14);
    expect(new Set(all).size).toBe(14);
  });

  it('skips a port the allocator hands out twice', async () => {
    const seq = [
      7000, 7000, 7001, 7002, 7002, 7003, 7004, 7005, 7006, 7007, 7008, 7009, 7010, 7011, 7012, 7013,
    ];
    let i = 0;
    const ports = await allocateClusterPorts(async () => seq[i++] ?? 9999);
    expect(ports.services.frontend).toEqual({ grpc: 7000, membership: 7001, metrics: 7002 });
    expect(ports.services.history.grpc).toBe(7003);
  });

  it('skips ports above 32767, which Temporal cannot store as a membership port', async () => {
    let n = 0;
    const ports = await allocateClusterPorts(async () => (n++ % 2 === 0 ? 40_000 + n : 20_000 + n));
    const all = CLUSTER_SERVICES.flatMap((s) => Object.values(ports.services[s]));
    expect(Math.max(...all, ports.frontendHttp, ports.ui)).toBeLessThanOrEqual(32_767);
  });

  it('gives up on an allocator that only repeats itself', async () => {
    await expect(allocateClusterPorts(async () => 7000)).rejects.toThrow(/already taken/);
  });
});

describe('serverConfig', () => {
  it('points both stores at the database and gives each process its own metrics listener', async () => {
    const ports = await allocateClusterPorts(counter());
    const history = serverConfig({ service: 'history', ports, db, dynamicConfigFile: '/x/dynamic.yaml' });
    const frontend = serverConfig({ service: 'frontend', ports, db, dynamicConfigFile: '/x/dynamic.yaml' });
    expect(history).toMatchObject({
      persistence: {
        defaultStore: 'postgres-default',
        visibilityStore: 'postgres-visibility',
        datastores: {
          'postgres-default': {
            sql: {
              pluginName: 'postgres12',
              databaseName: 'temporal',
              connectAddr: '127.0.0.1:55432',
              user: 'temporal_user',
            },
          },
          'postgres-visibility': { sql: { databaseName: 'temporal_visibility', password: 's3cret' } },
        },
      },
      global: { metrics: { prometheus: { listenAddress: `127.0.0.1:${ports.services.history.metrics}` } } },
      dynamicConfigClient: { filepath: '/x/dynamic.yaml' },
    });
    expect(frontend).toMatchObject({
      global: { metrics: { prometheus: { listenAddress: `127.0.0.1:${ports.services.frontend.metrics}` } } },
    });
    // Everything but the metrics listener is the same in the four files.
    const strip = (c: Record<string, unknown>) => JSON.stringify({ ...c, global: undefined });
    expect(strip(history)).toBe(strip(frontend));
  });

  it('lists every service with its ports; only the frontend has an HTTP port', async () => {
    const ports = await allocateClusterPorts(counter());
    const cfg = serverConfig({ service: 'worker', ports, db, dynamicConfigFile: 'd.yaml' }) as {
      services: Record<string, { rpc: Record<string, unknown> }>;
      clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
    };
    expect(Object.keys(cfg.services).sort()).toEqual([...CLUSTER_SERVICES].sort());
    for (const s of CLUSTER_SERVICES) {
      expect(cfg.services[s]?.rpc).toMatchObject({
        grpcPort: ports.services[s].grpc,
        membershipPort: ports.services[s].membership,
      });
      expect('httpPort' in (cfg.services[s]?.rpc ?? {})).toBe(s === 'frontend');
    }
    expect(cfg.clusterMetadata.clusterInformation.active.rpcAddress).toBe(frontendAddress(ports));
  });
});

describe('dynamicConfig', () => {
  it('runs one partition per task queue, as the dev server does', () => {
    const d = dynamicConfig();
    expect(d['matching.numTaskqueueReadPartitions']).toEqual([{ value: 1, constraints: {} }]);
    expect(d['matching.numTaskqueueWritePartitions']).toEqual([{ value: 1, constraints: {} }]);
  });
});

describe('process arguments', () => {
  it('starts one service per process from <root>/config/<service>.yaml', () => {
    expect(serviceArgs({ root: '/data/temporal', service: 'matching' })).toEqual([
      '--root',
      '/data/temporal',
      '--config',
      'config',
      '--env',
      'matching',
      '--allow-no-auth',
      'start',
      '--service',
      'matching',
    ]);
  });

  it('gives the SQL tool the connection before the command', () => {
    const args = sqlToolArgs(db, 'temporal_visibility', ['update-schema', '-d', '/s/versioned']);
    expect(args.slice(-3)).toEqual(['update-schema', '-d', '/s/versioned']);
    expect(args.slice(0, 2)).toEqual(['--plugin', 'postgres12']);
    expect(args[args.indexOf('--db') + 1]).toBe('temporal_visibility');
    expect(args[args.indexOf('-p') + 1]).toBe('55432');
  });

  it('points the Web UI at the frontend, with the codec endpoint only when given', () => {
    expect(uiConfig({ address: '127.0.0.1:7233', port: 8300, namespace: 'default' })).toMatchObject({
      temporalGrpcAddress: '127.0.0.1:7233',
      port: 8300,
      defaultNamespace: 'default',
    });
    expect('codec' in uiConfig({ address: 'a:1', port: 1, namespace: 'n' })).toBe(false);
    expect(uiConfig({ address: 'a:1', port: 1, namespace: 'n', codecEndpoint: 'http://c' })).toMatchObject({
      codec: { endpoint: 'http://c' },
    });
  });
});

describe('parseClusterArgs', () => {
  it('reads the options', () => {
    expect(parseClusterArgs([])).toEqual({ headless: false, buildOnly: false });
    expect(parseClusterArgs(['--data-dir', '/tmp/c', '--headless'])).toEqual({
      dataDir: '/tmp/c',
      headless: true,
      buildOnly: false,
    });
    expect(parseClusterArgs(['--build-only']).buildOnly).toBe(true);
  });

  it('names an unknown option', () => {
    expect(() => parseClusterArgs(['--workers', '3'])).toThrow(/invalid options.*--workers/);
  });
});

describe('bench and chaos on the cluster', () => {
  it('npm run bench takes --cluster, off by default', async () => {
    const { parseOptions } = await import('../../../../bench/options');
    expect(parseOptions([]).cluster).toBe(false);
    expect(parseOptions(['--cluster', '--skip', 'naive']).cluster).toBe(true);
  });
});
