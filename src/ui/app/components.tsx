import { formatDate } from "./i18n";
import { usePage } from "./layout";
import type { Child } from "hono/jsx";

/** A data table that scrolls sideways on a phone instead of overflowing the page. */
export function Table(props: { head: Child[]; rows: Child[][]; empty: string; caption?: string }) {
  if (!props.rows.length) return <p class="muted">{props.empty}</p>;
  return (
    // Focusable and named: a table wider than a phone scrolls, and the keyboard can scroll it.
    <section
      class="table-wrap"
      tabindex={0}
      aria-label={props.caption ?? props.head.filter((h) => typeof h === "string").join(", ")}
    >
      <table>
        {props.caption ? <caption class="muted">{props.caption}</caption> : null}
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              {r.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Notice(props: { kind: "ok" | "error"; children: Child }) {
  return (
    <div class={`notice ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.children}
    </div>
  );
}

export interface Series {
  label: string;
  values: number[];
}

/**
 * Grouped horizontal bars as server-rendered SVG, readable without JavaScript: one group per
 * category, one bar per series, the value written beside each bar, a title for screen readers.
 */
export function BarChart(props: { title: string; categories: string[]; series: Series[] }) {
  const barH = 14;
  const gap = 4;
  const labelW = 150;
  const width = 560;
  const groupH = props.series.length * (barH + gap) + 12;
  const height = props.categories.length * groupH + 24;
  // A round scale of at least 5: one send is a short bar, not one across the chart.
  const top = Math.max(5, ...props.series.flatMap((s) => s.values));
  const step = 10 ** Math.floor(Math.log10(top));
  const max = [1, 2, 5, 10].map((k) => k * step).find((v) => v >= top) ?? top;
  // Room after the longest bar for its value label (about 7 px a character at 12 px).
  const room = 8 + 7 * Math.max(...props.series.map((s) => `${s.label}: ${max}`.length));
  const scale = (v: number) => Math.round(((width - labelW - room) * v) / max);
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        style={`max-width:${width}px`}
        role="img"
        aria-label={props.title}
      >
        <title>{props.title}</title>
        {props.categories.map((cat, i) => {
          const y0 = i * groupH + 4;
          return (
            <g>
              <text x="0" y={y0 + barH}>
                {cat.length > 22 ? `${cat.slice(0, 21)}…` : cat}
              </text>
              {props.series.map((s, j) => {
                const v = s.values[i] ?? 0;
                const y = y0 + j * (barH + gap);
                return (
                  <g>
                    <rect
                      class={`bar${j ? j + 1 : ""}`}
                      x={labelW}
                      y={y}
                      width={Math.max(1, scale(v))}
                      height={barH}
                    />
                    <text x={labelW + Math.max(1, scale(v)) + 4} y={y + barH - 2}>
                      {`${s.label}: ${v}`}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line class="axis" x1={labelW} y1="0" x2={labelW} y2={height - 20} />
      </svg>
      <figcaption class="muted">{props.title}</figcaption>
    </figure>
  );
}

/** A list page of named objects: the create button, then name (linked), status and creation date. */
export function ObjectList(props: {
  newHref: string;
  newLabel: string;
  base: string;
  items: { id: string; name: string; status: string; createdAt: number }[];
}) {
  const p = usePage();
  return (
    <>
      <p>
        <a class="button" href={props.newHref}>
          {props.newLabel}
        </a>
      </p>
      <Table
        head={[p.t.common.name, p.t.common.status, p.t.common.created]}
        empty={p.t.common.empty}
        rows={props.items.map((x) => [
          <a href={`${props.base}/${encodeURIComponent(x.id)}`}>{x.name}</a>,
          x.status,
          formatDate(x.createdAt, p.lang, p.timeZone),
        ])}
      />
    </>
  );
}
