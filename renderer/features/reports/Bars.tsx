// Plain SVG bar charts: a value per label, scaled to the largest. Each bar carries its figure as
// text too, so the chart never hides a number.
export interface Bar {
  label: string;
  value: number;
  text: string;
}

export function ColumnChart({ bars, testId, height = 140 }: { bars: Bar[]; testId: string; height?: number }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = 100 / Math.max(1, bars.length);
  return (
    <svg className="chart" data-testid={testId} viewBox={`0 0 100 ${height / 2}`} preserveAspectRatio="none" role="img" style={{ height }}>
      {bars.map((b, i) => {
        const h = (b.value / max) * (height / 2 - 8);
        return (
          <g key={b.label}>
            <rect x={i * w + w * 0.15} y={height / 2 - 6 - h} width={w * 0.7} height={h} className="chart-bar">
              <title>{`${b.label}: ${b.text}`}</title>
            </rect>
            <text x={i * w + w / 2} y={height / 2 - 1} className="chart-axis" textAnchor="middle">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function BarList({ bars, testId }: { bars: Bar[]; testId: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <ul className="bar-list" data-testid={testId}>
      {bars.map((b) => (
        <li key={b.label}>
          <span className="bar-label">{b.label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${(b.value / max) * 100}%` }} />
          </span>
          <span className="bar-text">{b.text}</span>
        </li>
      ))}
    </ul>
  );
}
