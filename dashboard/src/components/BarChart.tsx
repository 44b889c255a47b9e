/** A small accessible SVG bar chart: one bar per day, the numbers also in a visually hidden table. */
import { formatDay, formatNumber } from '../lib/format';

export interface Bar {
  label: string;
  value: number;
}

export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const width = Math.max(bars.length, 1) * 14;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" aria-hidden="true" role="presentation">
        {bars.map((bar, index) => {
          const height = (bar.value / max) * 96;
          return (
            <rect key={bar.label} x={index * 14 + 2} y={100 - height} width={10} height={height} rx={2}>
              <title>
                {formatDay(bar.label)}: {formatNumber(bar.value)}
              </title>
            </rect>
          );
        })}
      </svg>
      <div class="chart-axis muted small">
        <span>{bars[0] ? formatDay(bars[0].label) : ''}</span>
        <span>{bars.length > 1 ? formatDay(bars[bars.length - 1]?.label ?? '') : ''}</span>
      </div>
      {/* A table keeps its content height whatever its box says: a clipped wrapper hides it without that. */}
      <div class="visually-hidden">
        <table>
          <caption>{title}</caption>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
