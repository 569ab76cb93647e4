/** Inline SVG charts for survey results: no script, no external asset; Khmer labels in a Khmer-capable font stack. */

const FONT = "system-ui, 'Noto Sans Khmer', 'Khmer OS', 'Khmer UI', sans-serif";

export interface Bar {
  label: { en: string; km: string };
  value: number;
}

/** Horizontal bars, one per choice: English and Khmer label, bar, count and share. */
export function BarChart(props: { title: string; bars: Bar[] }) {
  const rowH = 44;
  const width = 640;
  const labelW = 220;
  const total = props.bars.reduce((s, b) => s + b.value, 0);
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const height = props.bars.length * rowH + 8;
  return (
    <svg
      role="img"
      aria-label={`${props.title}: ${props.bars.map((b) => `${b.label.en} ${b.value}`).join(', ')}`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={`max-width:${width}px;font-family:${FONT}`}
    >
      {props.bars.map((b, i) => {
        const y = i * rowH + 4;
        const w = Math.round(((width - labelW - 90) * b.value) / max);
        const share = total === 0 ? 0 : Math.round((b.value / total) * 100);
        return (
          <g>
            <text x="0" y={y + 16} font-size="14">
              {b.label.en}
            </text>
            <text x="0" y={y + 34} font-size="13" lang="km" fill="#444">
              {b.label.km}
            </text>
            <rect x={labelW} y={y + 6} width={Math.max(w, 1)} height="24" fill="#1f5f99" rx="3" />
            <text x={labelW + Math.max(w, 1) + 6} y={y + 24} font-size="14">
              {`${b.value} (${share}%)`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Completed conversations per day, cumulative, as columns. */
export function CompletionChart(props: { days: Array<{ day: string; completed: number }> }) {
  const width = 640;
  const height = 160;
  const points: Array<{ day: string; total: number }> = [];
  for (const d of props.days) points.push({ day: d.day, total: (points.at(-1)?.total ?? 0) + d.completed });
  const max = Math.max(1, points.at(-1)?.total ?? 0);
  const colW = points.length === 0 ? 0 : Math.min(60, Math.floor((width - 20) / points.length));
  return (
    <svg
      role="img"
      aria-label={`Completed conversations over time: ${points.map((p) => `${p.day} ${p.total}`).join(', ') || 'none yet'}`}
      viewBox={`0 0 ${width} ${height + 30}`}
      width="100%"
      style={`max-width:${width}px;font-family:${FONT}`}
    >
      {points.map((p, i) => {
        const h = Math.round((height - 20) * (p.total / max));
        return (
          <g>
            <rect x={10 + i * colW} y={height - h} width={Math.max(colW - 6, 2)} height={h} fill="#2e7d32" />
            <text x={10 + i * colW} y={height - h - 4} font-size="11">
              {String(p.total)}
            </text>
            <text x={10 + i * colW} y={height + 16} font-size="10">
              {p.day.slice(5)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
