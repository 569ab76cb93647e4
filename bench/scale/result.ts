import type { MachineInfo } from '../machine';
import type { StatementCost } from '../pg-activity';
import type { ImportMeasurement } from './import-slice';
import { TARGETS_MS } from './queries';
import type { Latency } from './timing';

/** The JSON `npm run bench -- --scale N` writes (bench/results/scale-*.json). */
export interface ScaleResult {
  started_at: string;
  supporters: number;
  seed: { seconds: number; analyze_s: number };
  import: ImportMeasurement;
  search: Record<'name' | 'email' | 'phone' | 'tag', Latency>;
  /** The same rule again (the organizer adjusting the content): served from the aggregate cache above 100,000 supporters. */
  preview: Latency;
  /** A rule not previewed before on every call: the queries run. */
  preview_new_rule: Latency;
  /** Read while the stage sends, from a process of its own (bench/scale/read-client.ts). */
  campaign_detail: Latency;
  campaign_list: Latency;
  /** The same reads right after, from the bench's process that also runs the provider sandbox. */
  campaign_reads_in_harness?: { detail: Latency; list: Latency };
  /** Launch (POST /v1/campaigns sent) → the provider's first accept. */
  first_send_ms: number;
  stage: {
    targeted: number;
    window_s: number;
    accepted_in_window: number;
    send_rate: number;
    /** The mean of the raw rates measured before the stage and after it (msg/s). */
    raw_rate: number;
    raw_rates?: { before: number; after: number };
    ratio_to_raw: number;
    provider_429s: number;
    workflow_status: string;
    /** CPU seconds per process during the window (reads of the campaign included), and per accepted message. */
    cpu_s: Record<string, number>;
    cpu_ms_per_message: Record<string, number>;
    load_avg_at_launch: number;
    /** The statements that took the most PostgreSQL time from launch to the window's end. */
    pg_top_statements: StatementCost[];
  };
  pg: {
    database_mb: { before: number; seeded: number; after: number };
    supporters_mb_per_million: number;
    deliveries_rows: number;
    deliveries_mb: number;
    deliveries_mb_per_million: number | null;
    stage_recipients_mb_per_million: number;
  };
  machine?: MachineInfo;
  notes: string[];
}

export const FIRST_SEND_TARGET_MS = 1000;
export const RATIO_TARGET = 0.5;

interface Row {
  metric: string;
  value: string;
  target: string;
  met: boolean | null;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits });

const latency = (metric: string, l: Latency, targetMs: number): Row => ({
  metric: `${metric} p50 / p95 (ms, ${l.calls} calls)`,
  value: `${fmt(l.p50Ms)} / ${fmt(l.p95Ms)}`,
  target: `p95 ≤ ${targetMs}`,
  met: l.p95Ms <= targetMs,
});

const untargeted = (metric: string, l: Latency): Row => ({
  ...latency(metric, l, Number.NaN),
  target: '',
  met: null,
});

export function scaleRows(r: ScaleResult): Row[] {
  const i = r.import;
  return [
    { metric: 'supporters', value: fmt(r.supporters), target: '', met: null },
    { metric: 'seed (generate_series) s', value: fmt(r.seed.seconds, 1), target: '', met: null },
    {
      metric: `import rows/s (${fmt(i.rows)} rows via API${i.extrapolated ? ', extrapolated' : ''})`,
      value: fmt(i.rowsPerS),
      target: '',
      met: null,
    },
    { metric: `import of ${fmt(r.supporters)} rows, s`, value: fmt(i.extrapolatedS), target: '', met: null },
    {
      metric: 'import API RSS at start / peak (MiB)',
      value: `${fmt(i.apiRssAtStartMb)} / ${fmt(i.apiRssPeakMb)}`,
      target: '',
      met: null,
    },
    latency('preview (tag include/exclude), same rule again', r.preview, TARGETS_MS.preview),
    latency('preview, a new rule each call', r.preview_new_rule, TARGETS_MS.preview),
    latency('search: name fragment', r.search.name, TARGETS_MS.search),
    latency('search: email', r.search.email, TARGETS_MS.search),
    latency('search: phone digits', r.search.phone, TARGETS_MS.search),
    latency('search: tag', r.search.tag, TARGETS_MS.search),
    latency('campaign detail during the stage', r.campaign_detail, TARGETS_MS.campaignDetail),
    latency('campaign list during the stage', r.campaign_list, TARGETS_MS.campaignList),
    ...(r.campaign_reads_in_harness
      ? [
          untargeted('campaign detail, read from the sandbox process', r.campaign_reads_in_harness.detail),
          untargeted('campaign list, read from the sandbox process', r.campaign_reads_in_harness.list),
        ]
      : []),
    {
      metric: `launch → first accept (ms, ${fmt(r.stage.targeted)} targeted)`,
      value: fmt(r.first_send_ms),
      target: `≤ ${FIRST_SEND_TARGET_MS}`,
      met: r.first_send_ms <= FIRST_SEND_TARGET_MS,
    },
    {
      metric: `stage send rate (msg/s, ${fmt(r.stage.window_s)} s window)`,
      value: fmt(r.stage.send_rate),
      target: '',
      met: null,
    },
    {
      metric: 'raw rate (msg/s, same run; mean of before / after the stage)',
      value: r.stage.raw_rates
        ? `${fmt(r.stage.raw_rate)} (${fmt(r.stage.raw_rates.before)} / ${fmt(r.stage.raw_rates.after)})`
        : fmt(r.stage.raw_rate),
      target: '',
      met: null,
    },
    {
      metric: 'ratio_to_raw',
      value: fmt(r.stage.ratio_to_raw, 2),
      target: `≥ ${RATIO_TARGET}`,
      met: r.stage.ratio_to_raw >= RATIO_TARGET,
    },
    {
      metric: 'provider 429s',
      value: fmt(r.stage.provider_429s),
      target: '0',
      met: r.stage.provider_429s === 0,
    },
    {
      metric: 'PostgreSQL MiB per 1,000,000 deliveries',
      value: fmt(r.pg.deliveries_mb_per_million),
      target: '',
      met: null,
    },
    {
      metric: 'PostgreSQL MiB per 1,000,000 supporters',
      value: fmt(r.pg.supporters_mb_per_million),
      target: '',
      met: null,
    },
    {
      metric: 'PostgreSQL MiB per 1,000,000-recipient snapshot',
      value: fmt(r.pg.stage_recipients_mb_per_million),
      target: '',
      met: null,
    },
  ];
}

const mark = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'NOT met');

export function scaleText(r: ScaleResult): string {
  const rows = scaleRows(r);
  const w = Math.max(...rows.map((x) => x.metric.length));
  const v = Math.max(...rows.map((x) => x.value.length));
  return rows
    .map((x) =>
      `${x.metric.padEnd(w)}  ${x.value.padStart(v)}  ${x.target.padEnd(10)} ${mark(x.met)}`.trimEnd(),
    )
    .join('\n');
}

export function scaleMarkdown(r: ScaleResult): string {
  const lines = ['| metric | value | target | met |', '|---|---:|---|---|'];
  for (const x of scaleRows(r)) lines.push(`| ${x.metric} | ${x.value} | ${x.target} | ${mark(x.met)} |`);
  return lines.join('\n');
}
