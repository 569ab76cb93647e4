import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganization, createPartner, createToken } from '../db/tenants';
import { guardPostgresClosedSocketWrites } from '../db/write-guard';
import { type ClusterStack, startClusterStack } from '../infra/cluster/stack';
import { loadOrCreateDevSecrets } from '../infra/dev-secrets';
import { readPreparedPaths } from '../infra/prepared-paths';
import { StartupError, startupFailureLine } from '../infra/startup-error';
import { CHAOS_RECONCILE_ENV, type ChaosStack } from './stack';

/**
 * The chaos stack on the production-shaped cluster (infra/cluster/stack.ts): the same fields as the
 * dev-server one (chaos/stack.ts), so the existing scenarios run unchanged, plus `cluster`.
 * `serverErrors` sums the 5xx the API processes report (the last known count of a killed one).
 */
export async function startClusterChaosStack(opts: { log: (line: string) => void }): Promise<ChaosStack> {
  guardPostgresClosedSocketWrites(opts.log);
  const dataDir = await mkdtemp(join(tmpdir(), 'campaigns-chaos-cluster-'));
  await chmod(dataDir, 0o755);
  let stack: ClusterStack | undefined;
  try {
    const secrets = await loadOrCreateDevSecrets(dataDir);
    stack = await startClusterStack({
      dataDir,
      temporalCli: readPreparedPaths().temporalCli,
      secrets,
      headless: true,
      apiEntry: 'chaos/api-process.ts',
      serviceEnv: {
        SMS_RATE_PER_SEC: '500',
        EMAIL_RATE_PER_SEC: '500',
        LOG_LEVEL: 'warn',
        // The flood scenarios are meant to reach the handlers, not the rate limiters.
        RATE_LIMIT_PER_IP_PER_MIN: '1000000',
        RATE_LIMIT_PER_TOKEN_PER_MIN: '1000000',
        RATE_LIMIT_WEBHOOK_PER_IP_PER_MIN: '100000000',
        ...CHAOS_RECONCILE_ENV,
      },
      log: opts.log,
    });
    const s = stack;
    const known = s.apiUrls.map(() => ({ count: 0, unavailable: 0 }));
    const refreshErrors = async () => {
      await Promise.all(
        s.apiUrls.map(async (u, i) => {
          const res = await fetch(`${u}/__chaos/server-errors`).catch(() => null);
          if (res?.ok) known[i] = (await res.json()) as { count: number; unavailable: number };
        }),
      );
    };
    const poll = setInterval(() => void refreshErrors(), 300);
    const serverErrors = {
      get count() {
        return known.reduce((n, k) => n + k.count, 0);
      },
      get unavailable() {
        return known.reduce((n, k) => n + k.unavailable, 0);
      },
    };
    const orgId = await createOrganization(s.sql, { name: 'chaos' });
    const { token } = await createToken(s.sql, { orgId, role: 'organizer' });
    const partner = await createPartner(s.sql, { orgId, name: 'chaos partner' });
    const workers = {
      name: 'workers',
      /** Both worker processes (the dev-server scenario kills "the" worker; here every one). */
      signal(sig: NodeJS.Signals) {
        for (const w of s.workers) {
          w.autoRestart = true;
          void w.kill(sig);
        }
      },
      async stop() {
        await Promise.all(s.workers.map((w) => w.stop()));
      },
    };
    for (const w of s.workers) w.autoRestart = true;
    for (const a of s.apis) a.autoRestart = true;
    return {
      sql: s.sql,
      apiUrl: s.publicUrl,
      sandboxUrl: s.sandboxUrl,
      secrets,
      orgId,
      token,
      partner,
      serverErrors,
      workers,
      async restartTemporal(downMs: number) {
        await s.cluster.restart(downMs);
      },
      async restartPostgres(downMs: number) {
        await s.stopPostgres();
        await new Promise((r) => setTimeout(r, downMs));
        await s.startPostgres();
      },
      cluster: { stack: s, refreshErrors },
      async stop() {
        clearInterval(poll);
        await s.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stack?.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw new StartupError(startupFailureLine('the chaos cluster', err));
  }
}
