import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import { bearerMatchesToken } from '../core/bearer';
import { METRICS_CONTENT_TYPE, metricsText } from '../core/metrics';

export interface WorkerProbeOptions {
  host: string;
  port: number;
  /** The workers of this process: ready while every one is RUNNING (polling), not while draining. */
  workers: () => readonly Worker[];
  /** The Temporal SDK's own Prometheus endpoint (Runtime telemetry, loopback): appended to /metrics. */
  sdkMetricsUrl?: string | undefined;
  /** When set, /metrics answers only `Authorization: Bearer <token>`; the probes stay open. */
  token?: string | undefined;
}

/** The SDK's metrics text, or a comment saying why it is missing (the scrape itself still succeeds). */
async function sdkMetrics(url: string | undefined): Promise<string> {
  if (!url) return '';
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : `# temporal sdk metrics: HTTP ${res.status}\n`;
  } catch {
    return '# temporal sdk metrics: unreachable\n';
  }
}

/**
 * A worker process's operations port (METRICS_PORT): GET /metrics (ours, `campaign_*`, then the
 * Temporal SDK's, `temporal_*`), GET /livez (the process answers) and GET /readyz (200 once every
 * worker polls; 503 before, and while it drains on SIGTERM). Resolves once listening.
 */
export async function startWorkerProbeServer(opts: WorkerProbeOptions): Promise<Server & { port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { error: 'GET only' });
    if (path === '/livez') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      const states = opts.workers().map((w) => w.getState());
      const ready = states.length > 0 && states.every((s) => s === 'RUNNING');
      return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', workers: states });
    }
    if (path === '/metrics') {
      if (opts.token && !bearerMatchesToken(req.headers.authorization, opts.token)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' });
        return res.end('metrics token required\n');
      }
      void Promise.all([metricsText(), sdkMetrics(opts.sdkMetricsUrl)]).then(
        ([ours, sdk]) => {
          res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
          res.end(`${ours}\n${sdk}`);
        },
        () => json(500, { error: 'metrics unavailable' }),
      );
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

/** A free loopback port for the SDK's exporter (it takes an address, not port 0). */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
