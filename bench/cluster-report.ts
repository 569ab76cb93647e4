/** The campaign phases on the production-shaped cluster, beside the dev-server figures of the same run. */
export interface ClusterBenchReport {
  temporal: 'cluster: frontend, history, matching, worker processes on PostgreSQL';
  api_processes: number;
  worker_processes: number;
  recipients: number;
  send_rate: number;
  elapsed_s: number;
  first_send_latency_ms: number | null;
  duplicates: number;
  missing: number;
  throttled: {
    recipients: number;
    configured_rate: number;
    achieved_rate: number;
    ratio: number;
    provider_429s: number;
    duplicates: number;
    missing: number;
  } | null;
  callbacks: { delivered: number; failed: number };
  cpu_s: Record<string, Record<string, number>>;
  load_avg: Record<string, number>;
}
