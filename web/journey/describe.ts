/** One line per node, in the member's words: what the canvas box and the outline item say. */
import type { EditorData, Node, NodeStats } from "./types";

const dur = (d: { days?: unknown; hours?: number; minutes?: number }, t: EditorData["t"]) =>
  [
    typeof d.days === "number" && d.days ? `${d.days} ${t.daysShort}` : "",
    d.hours ? `${d.hours} ${t.hoursShort}` : "",
    d.minutes ? `${d.minutes} ${t.minutesShort}` : "",
  ]
    .filter(Boolean)
    .join(" ") || "0";

export function describe(n: Node, data: EditorData): string {
  const { t } = data;
  const tpl = (id: string | undefined) => data.templates.find((x) => x.id === id)?.name ?? id ?? "?";
  switch (n.type) {
    case "email":
      return n.variants?.length
        ? n.variants.map((v) => `${v.name}: ${tpl(v.template_id)}`).join(" / ")
        : tpl(n.template_id);
    case "sms":
      return n.content.slice(0, 60);
    case "wait":
      if (n.until_time)
        return `${t.until} ${n.until_time}${Array.isArray(n.days) ? ` (${n.days.join(", ")})` : ""}`;
      if (n.until_attribute)
        return `${t.until} ${n.until_attribute}${n.offset_days ? ` ${n.offset_days > 0 ? "+" : ""}${n.offset_days} ${t.daysShort}` : ""}`;
      return dur(n, t);
    case "wait_for":
      return `${t.events[n.event] ?? n.event}${n.name ? ` "${n.name}"` : ""} · ${t.within} ${dur(n.within, t)}`;
    case "condition": {
      const c = (n.criteria as { conditions?: { field?: string; operator?: string; value?: unknown }[] })
        .conditions;
      const first = c?.[0];
      return first
        ? `${first.field} ${first.operator} ${first.value ?? ""}${c.length > 1 ? ` (+${c.length - 1})` : ""}`
        : "";
    }
    case "split":
      return n.paths.map((p) => `${p.name} ${p.percent}%`).join(" / ");
    case "parallel":
      return `${n.paths.length} ${t.branches}`;
    case "action": {
      const cfg = n.action.config as Record<string, unknown>;
      const detail = cfg.tag ?? cfg.title ?? cfg.field ?? cfg.points ?? cfg.url ?? cfg.content ?? "";
      return `${t.actions[n.action.type] ?? n.action.type}${detail !== "" ? `: ${String(detail)}` : ""}`;
    }
    case "exit":
      return t.exitHint ?? "";
  }
}

/** The counts a node shows: entered and waiting, plus yes/no, paths, sends, opens and clicks. */
export function countsOf(n: Node, s: NodeStats | undefined, t: EditorData["t"]): string {
  const x = s ?? { entered: 0, waiting: 0, completed: 0 };
  const parts = [`${t.entered} ${x.entered}`];
  if (x.waiting) parts.push(`${t.waiting} ${x.waiting}`);
  if (x.yes !== undefined) parts.push(`${t.yes} ${x.yes}`, `${t.no} ${x.no ?? 0}`);
  if (x.by_path) for (const [k, v] of Object.entries(x.by_path)) parts.push(`${k} ${v}`);
  if (n.type === "email")
    parts.push(`${t.sent} ${x.sent ?? 0}`, `${t.opened} ${x.opened ?? 0}`, `${t.clicked} ${x.clicked ?? 0}`);
  return parts.join(" · ");
}
