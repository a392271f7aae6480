import type { Series } from "../components";

/**
 * Grouped columns over time as server-rendered SVG: one group per bucket (a day or a week), one
 * column per series, sized to the data (a week of buckets is not stretched across the page), the
 * axis labelled every few buckets, the largest value written, a legend when there are several
 * series; the title names it for screen readers, and the page has the same figures as a table.
 */
export function ColumnChart(props: {
  title: string;
  categories: string[];
  series: Series[];
  format?: (v: number) => string;
}) {
  const n = Math.max(1, props.categories.length);
  const per = props.series.length;
  const colW = n > 60 ? 3 : n > 31 ? 5 : 9;
  const groupW = per * colW + 4;
  const left = 44;
  const top = 16;
  const h = 120;
  const width = Math.max(240, left + n * groupW + 8);
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const fmt = props.format ?? ((v: number) => String(v));
  // A date label needs about 36 px: one every so many groups, so they never run together.
  const every = Math.max(1, Math.ceil(36 / groupW));
  return (
    <figure class="column-chart">
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${top + h + 28}`}
        style={`max-width:${width}px`}
        role="img"
        aria-label={props.title}
      >
        <title>{props.title}</title>
        <text x="0" y={top + 4}>
          {fmt(max)}
        </text>
        <text x="0" y={top + h}>
          0
        </text>
        <line class="axis" x1={left - 2} y1={top + h} x2={width} y2={top + h} />
        {props.categories.map((cat, i) => {
          const x0 = left + i * groupW;
          return (
            <g>
              {props.series.map((s, j) => {
                const v = s.values[i] ?? 0;
                const bh = v > 0 ? Math.max(1, Math.round((h * v) / max)) : 0;
                return (
                  <rect
                    class={`bar${j ? j + 1 : ""}`}
                    x={x0 + j * colW}
                    y={top + h - bh}
                    width={colW - 1}
                    height={bh}
                  >
                    <title>{`${cat} · ${s.label}: ${fmt(v)}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 ? (
                <text x={x0} y={top + h + 14}>
                  {cat.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      {props.series.length > 1 ? (
        <figcaption class="muted">
          {props.series.map((s, j) => (
            <span class="legend">
              <span class={`swatch bar${j ? j + 1 : ""}`} aria-hidden="true" /> {s.label}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
