import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../context';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    temporal: z.enum(['ok', 'down']),
    postgres: z.enum(['ok', 'down']),
  })
  .openapi('Health', { example: { status: 'ok', temporal: 'ok', postgres: 'ok' } });

const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness of the service and of each dependency',
  responses: {
    200: {
      description: 'All dependencies reachable',
      content: { 'application/json': { schema: HealthSchema } },
    },
    503: { description: 'A dependency is down', content: { 'application/json': { schema: HealthSchema } } },
  },
});

const CHECK_TIMEOUT_MS = 2_000;

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /livez: the process answers (restart it when not). /readyz: it may take traffic: PostgreSQL and
 * Temporal reachable and not draining (503 otherwise; take it out of the balancer, do not restart).
 */
function registerProbes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDeps,
  check: (p: () => Promise<unknown>) => Promise<'ok' | 'down'>,
) {
  app.get('/livez', (c) => c.json({ status: 'ok' }, 200));
  app.get('/readyz', async (c) => {
    if (deps.draining?.()) return c.json({ status: 'draining' }, 503);
    const [temporal, postgres] = await Promise.all([
      check(() => deps.temporal.connection.workflowService.getSystemInfo({})),
      check(() => deps.sql`select 1`.execute()),
    ]);
    const ok = temporal === 'ok' && postgres === 'ok';
    return c.json({ status: ok ? 'ready' : 'not_ready', temporal, postgres }, ok ? 200 : 503);
  });
  for (const [path, summary] of [
    ['/livez', 'Liveness: the process answers (200)'],
    ['/readyz', 'Readiness: PostgreSQL and Temporal reachable and not draining (200), else 503'],
  ] as const)
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['operations'],
      summary,
      responses: { 200: { description: 'Yes' }, 503: { description: 'No (readyz only)' } },
    });
}

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const check = async (probe: () => Promise<unknown>) =>
    within(probe(), CHECK_TIMEOUT_MS).then(
      () => 'ok' as const,
      () => 'down' as const,
    );
  registerProbes(app, deps, check);
  app.openapi(route, async (c) => {
    const [temporal, postgres] = await Promise.all([
      check(() => deps.temporal.connection.workflowService.getSystemInfo({})),
      check(() => deps.sql`select 1`.execute()),
    ]);
    const ok = temporal === 'ok' && postgres === 'ok';
    if (!ok) deps.log.warn({ temporal, postgres }, 'health check failed');
    if (deps.config.INSTANCE_ID) c.header('X-Instance-Id', deps.config.INSTANCE_ID);
    return c.json(
      { status: ok ? ('ok' as const) : ('degraded' as const), temporal, postgres },
      ok ? 200 : 503,
    );
  });
}
