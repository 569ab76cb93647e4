import type { MachineInfo } from './machine';

/** The JSON a run writes (keys as issue 6 names them). */
export interface BenchReport {
  started_at: string;
  recipients: number;
  elapsed_s: number;
  send_rate: number;
  /** The mean of the raw rates measured before and after the service run (msg/s). */
  raw_rate: number | null;
  raw_rates: { before: number; after: number } | null;
  ratio_to_raw: number | null;
  throttled: {
    recipients: number;
    configured_rate: number;
    /** Between the first and the last accept; `achieved_rate_from_launch` counts start-up too. */
    achieved_rate: number;
    achieved_rate_from_launch: number;
    ratio: number;
    provider_429s: number;
    elapsed_s: number;
    duplicates: number;
    missing: number;
    pages: { pages: number; meanPageMs: number; meanGapMs: number; totalGapMs: number };
  } | null;
  actions_per_1k: number;
  history_events: number;
  actions: Record<string, number>;
  naive: {
    recipients: number;
    sampled: boolean;
    actions_per_1k: number;
    history_events: number;
    send_rate: number;
    elapsed_s: number;
    worker_rss_peak_mb: number | null;
    duplicates: number;
    missing: number;
  } | null;
  worker_rss_peak_mb: number | null;
  worker_rss_sampled_peak_mb: number;
  first_send_latency_ms: number | null;
  /** The first campaign of a freshly started worker (20 recipients). */
  first_send_latency_cold_ms: number | null;
  /** Launch → first delivery page, from the workflow history (ms after launch). */
  first_send_timeline: Array<{ event: string; ms: number }>;
  /** Delivery pages of the unthrottled run: how long each ran, how long the stage idled between them. */
  pages: { pages: number; meanPageMs: number; meanGapMs: number; totalGapMs: number };
  duplicates: number;
  missing: number;
  provider_5xx: number;
  callbacks: { delivered: number; failed: number };
  /** CPU seconds per process while each phase ran (the machine has `machine.nproc` CPUs). */
  cpu_s: Record<string, Record<string, number>>;
  /** PostgreSQL work per recipient in the unthrottled run (commits, rows, HOT updates, WAL bytes). */
  pg_per_message: Record<string, number>;
  /** The statements that took the most PostgreSQL time in the unthrottled run (pg_stat_statements). */
  pg_top_statements: Array<{ query: string; calls: number; totalMs: number; meanMs: number; rows: number }>;
  /** 1-minute load average when each phase started: other work on the machine skews every figure. */
  load_avg: Record<string, number>;
  machine: MachineInfo;
  /** `--cluster`: the campaign phases again on the production-shaped cluster. */
  cluster?: import('./cluster-report').ClusterBenchReport;
  notes: string[];
}

interface Row {
  metric: string;
  value: string;
  target: string;
  met: boolean | null;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

export function reportRows(r: BenchReport): Row[] {
  const t = r.throttled;
  const rows: Row[] = [
    { metric: 'recipients', value: fmt(r.recipients), target: '', met: null },
    { metric: 'elapsed_s (launch → last accept)', value: fmt(r.elapsed_s, 1), target: '', met: null },
    { metric: 'send_rate (msg/s)', value: fmt(r.send_rate), target: '', met: null },
    {
      metric: 'raw_rate (msg/s, 8 in flight; mean of before / after the service)',
      value: r.raw_rates
        ? `${fmt(r.raw_rate)} (${fmt(r.raw_rates.before)} / ${fmt(r.raw_rates.after)})`
        : fmt(r.raw_rate),
      target: '',
      met: null,
    },
    {
      metric: 'ratio_to_raw',
      value: fmt(r.ratio_to_raw, 2),
      target: '≥ 0.5',
      met: r.ratio_to_raw === null ? null : r.ratio_to_raw >= 0.5,
    },
  ];
  if (t) {
    rows.push(
      {
        metric: `throttled: ${fmt(t.recipients)} at ${fmt(t.configured_rate)}/s, achieved (first → last accept)`,
        value: `${fmt(t.achieved_rate, 1)}/s (from launch ${fmt(t.achieved_rate_from_launch, 1)}/s)`,
        target: '',
        met: null,
      },
      { metric: 'throttled ratio', value: fmt(t.ratio, 3), target: '≥ 0.95', met: t.ratio >= 0.95 },
      {
        metric: 'throttled provider_429s',
        value: fmt(t.provider_429s),
        target: '0',
        met: t.provider_429s === 0,
      },
    );
  }
  rows.push(
    {
      metric: 'actions_per_1k',
      value: fmt(r.actions_per_1k, 2),
      target: '≤ 5',
      met: r.actions_per_1k <= 5,
    },
    { metric: 'history_events (all runs)', value: fmt(r.history_events), target: '', met: null },
  );
  if (r.naive) {
    const n = r.naive;
    const label = n.sampled ? `naive (1 workflow/recipient, sample of ${fmt(n.recipients)})` : 'naive';
    rows.push(
      { metric: `${label} actions_per_1k`, value: fmt(n.actions_per_1k, 1), target: '', met: null },
      { metric: `${label} send_rate (msg/s)`, value: fmt(n.send_rate), target: '', met: null },
    );
  }
  rows.push(
    {
      metric: 'worker_rss_peak_mb (VmHWM)',
      value: `${fmt(r.worker_rss_peak_mb)} (during run ${fmt(r.worker_rss_sampled_peak_mb)})`,
      target: '≤ 300',
      met: r.worker_rss_peak_mb === null ? null : r.worker_rss_peak_mb <= 300,
    },
    {
      metric: 'first_send_latency_ms (warm worker; cold in brackets)',
      value: `${fmt(r.first_send_latency_ms)} (${fmt(r.first_send_latency_cold_ms)})`,
      target: '≤ 1000',
      met: r.first_send_latency_ms === null ? null : r.first_send_latency_ms <= 1000,
    },
    {
      metric: 'duplicates / missing',
      value: `${fmt(r.duplicates)} / ${fmt(r.missing)}`,
      target: '0 / 0',
      met: r.duplicates === 0 && r.missing === 0,
    },
  );
  return rows;
}

const mark = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'MISSED');

export function textTable(r: BenchReport): string {
  const rows = reportRows(r).map((row) => [row.metric, row.value, row.target, mark(row.met)]);
  const header = ['metric', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function markdownTable(r: BenchReport): string {
  const m = r.machine;
  const rows = reportRows(r).map(
    (row) => `| ${row.metric} | ${row.value} | ${row.target} | ${mark(row.met)} |`,
  );
  return [
    `${fmt(r.recipients)} recipients, ${r.started_at.slice(0, 16).replace('T', ' ')} UTC — ${m.nproc} CPUs (${m.cpu}), ${m.ram_gb} GB RAM, Node ${m.node}:`,
    '',
    '| metric | value | target | |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
