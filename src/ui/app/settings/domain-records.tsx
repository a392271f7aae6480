import type { DomainRecord } from "../../../services/domains/store";
import { Table } from "../components";
import { usePage } from "../layout";

type Status = "verified" | "pending" | "failed";

/** A domain's or a record's status, in words and colour (the word carries it; colour only helps). */
export function StatusBadge(props: { status: string }) {
  const t = usePage().t.deliverability;
  return <span class={`badge ${props.status}`}>{t.statuses[props.status as Status] ?? props.status}</span>;
}

/**
 * The DNS records to publish: kind, type, host name and value, each name and value in a read-only
 * field (select it without the script) with a copy button (the page script shows it), and status.
 */
export function DomainRecords(props: { records: DomainRecord[] }) {
  const t = usePage().t.deliverability;
  const copyable = (id: string, value: string, label: string) => (
    <div class="record-value">
      <input id={id} readonly value={value} aria-label={label} />
      <button type="button" class="secondary small" data-copy={id} data-copied={t.copied} hidden>
        {t.copy}
      </button>
    </div>
  );
  return (
    <section class="card">
      <h2>{t.records}</h2>
      <Table
        head={[t.kind, t.type, t.name, t.value, t.status]}
        empty=""
        rows={props.records.map((r, i) => [
          r.kind.toUpperCase().replace("_", " "),
          r.type,
          copyable(`rec-${i}-name`, r.name, `${r.kind} ${t.name}`),
          copyable(`rec-${i}-value`, r.value, `${r.kind} ${t.value}`),
          <StatusBadge status={r.status} />,
        ])}
      />
    </section>
  );
}

/**
 * The warm-up ramp as a small column chart (server-rendered SVG): one column per day, its
 * allowance above it, the day below; the title says what it is for screen readers.
 */
export function RampChart(props: { days: { day: number; allowance: number }[] }) {
  const t = usePage().t.deliverability;
  const colW = 34;
  const top = 18;
  const barMax = 90;
  const max = Math.max(1, ...props.days.map((d) => d.allowance));
  const width = props.days.length * colW;
  return (
    <figure>
      <svg
        class="chart ramp"
        viewBox={`0 0 ${width} ${top + barMax + 20}`}
        role="img"
        aria-label={t.rampChart}
      >
        <title>{`${t.rampChart}: ${props.days.map((d) => d.allowance).join(", ")}`}</title>
        {props.days.map((d, i) => {
          const h = Math.max(1, Math.round((barMax * d.allowance) / max));
          const x = i * colW + 4;
          return (
            <g>
              <rect class="bar" x={x} y={top + barMax - h} width={colW - 8} height={h} />
              <text x={x + (colW - 8) / 2} y={top + barMax - h - 4} text-anchor="middle">
                {d.allowance >= 10_000 ? `${Math.round(d.allowance / 1000)}k` : String(d.allowance)}
              </text>
              <text x={x + (colW - 8) / 2} y={top + barMax + 14} text-anchor="middle">
                {String(d.day + 1)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">{`${t.rampChart} (${t.day} 1–${props.days.length})`}</figcaption>
    </figure>
  );
}
