import type { StageCounts } from './api-client';

const STEPS = ['targeted', 'sent', 'delivered', 'acted'] as const;
const COLORS = ['#0b5cad', '#3b82c4', '#1a7f37', '#9a6700'];
const WIDTH = 560;
const LABEL = 90;
const BAR = 30;
const GAP = 10;

/** Targeted → sent → delivered → acted as centred bars (a funnel), drawn server-side as inline SVG. */
export function Funnel(props: { counts: Pick<StageCounts, (typeof STEPS)[number]>; caption: string }) {
  const max = Math.max(
    1,
    props.counts.targeted,
    props.counts.sent,
    props.counts.delivered,
    props.counts.acted,
  );
  const room = WIDTH - LABEL - 60;
  const height = STEPS.length * (BAR + GAP);
  const summary = STEPS.map((s) => `${s} ${props.counts[s]}`).join(', ');
  return (
    <figure>
      <svg
        class="funnel"
        role="img"
        aria-labelledby="funnel-title funnel-desc"
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id="funnel-title">Funnel</title>
        <desc id="funnel-desc">{summary}</desc>
        {STEPS.map((step, i) => {
          const n = props.counts[step];
          const w = Math.max(2, (n / max) * room);
          const y = i * (BAR + GAP);
          const x = LABEL + (room - w) / 2;
          return (
            <g data-step={step}>
              <text x="0" y={y + BAR / 2 + 5}>
                {step}
              </text>
              <rect x={x} y={y} width={w} height={BAR} rx="3" fill={COLORS[i]} />
              <text x={LABEL + room + 8} y={y + BAR / 2 + 5} data-count={step}>
                {String(n)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{props.caption}</figcaption>
    </figure>
  );
}
