import { loadavg } from 'node:os';
import { runCampaignPhase } from './campaign-phase';
import { startClusterBenchStack } from './cluster-bench-stack';
import type { ClusterBenchReport } from './cluster-report';
import type { BenchReport } from './report';

/**
 * Starts the cluster bench stack, runs the unthrottled and (unless skipped) the throttled campaign
 * phase on it, stops it. Throws what the stack or a phase threw.
 */
export async function runClusterPhases(opts: {
  recipients: number;
  throttledRecipients: number;
  rate: number;
  skipThrottled: boolean;
  unthrottledRate: number;
  log: (line: string) => void;
}): Promise<ClusterBenchReport> {
  const { log } = opts;
  log('cluster: starting PostgreSQL, the four Temporal services, two API processes');
  const b = await startClusterBenchStack(log);
  try {
    log(`cluster service: ${opts.recipients} recipients, ${b.workerProcesses} worker processes`);
    const load: Record<string, number> = { service: loadavg()[0] ?? 0 };
    const main = await runCampaignPhase(b, {
      label: 'cluster-service',
      recipients: opts.recipients,
      smsRate: opts.unthrottledRate,
      sandboxRate: null,
      log,
    });
    log(`cluster service: ${main.sendRate.toFixed(0)} msg/s, workflow ${main.workflowStatus}`);
    const cpu: Record<string, Record<string, number>> = { service: main.cpuS };
    let throttled: ClusterBenchReport['throttled'] = null;
    if (!opts.skipThrottled) {
      load.throttled = loadavg()[0] ?? 0;
      const t = await runCampaignPhase(b, {
        label: 'cluster-throttled',
        recipients: opts.throttledRecipients,
        smsRate: opts.rate,
        sandboxRate: opts.rate,
        log,
      });
      cpu.throttled = t.cpuS;
      throttled = {
        recipients: opts.throttledRecipients,
        configured_rate: opts.rate,
        achieved_rate: t.steadyRate,
        ratio: t.steadyRate / opts.rate,
        provider_429s: t.provider429s,
        duplicates: t.duplicates,
        missing: t.missing,
      };
      log(`cluster throttled: ${t.steadyRate.toFixed(1)}/s (ratio ${throttled.ratio.toFixed(2)})`);
    }
    return {
      temporal: 'cluster: frontend, history, matching, worker processes on PostgreSQL',
      api_processes: 2,
      worker_processes: b.workerProcesses ?? 1,
      recipients: opts.recipients,
      send_rate: main.sendRate,
      elapsed_s: main.elapsedS,
      first_send_latency_ms: main.firstSendLatencyMs,
      duplicates: main.duplicates,
      missing: main.missing,
      throttled,
      callbacks: { delivered: main.callbacksDelivered, failed: main.callbackFailures },
      cpu_s: cpu,
      load_avg: load,
    };
  } finally {
    await b.stop();
  }
}

/** Dev server and cluster side by side, as text. */
export function comparisonTable(report: BenchReport, cluster: ClusterBenchReport): string {
  const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined ? '—' : n.toFixed(d));
  const rows = [
    ['', 'dev server (1 process, SQLite)', 'cluster (4 services, PostgreSQL)'],
    ['API / worker processes', '1 / 1', `${cluster.api_processes} / ${cluster.worker_processes}`],
    ['unthrottled send rate (msg/s)', f(report.send_rate), f(cluster.send_rate)],
    ['unthrottled elapsed (s)', f(report.elapsed_s, 1), f(cluster.elapsed_s, 1)],
    ['first send latency (ms)', f(report.first_send_latency_ms), f(cluster.first_send_latency_ms)],
    ['throttled ratio', f(report.throttled?.ratio, 2), f(cluster.throttled?.ratio, 2)],
    [
      'throttled achieved (msg/s)',
      f(report.throttled?.achieved_rate, 1),
      f(cluster.throttled?.achieved_rate, 1),
    ],
    [
      'duplicates / missing',
      `${report.duplicates} / ${report.missing}`,
      `${cluster.duplicates + (cluster.throttled?.duplicates ?? 0)} / ${cluster.missing + (cluster.throttled?.missing ?? 0)}`,
    ],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}
