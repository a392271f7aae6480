// Number formatting for the bench tables, and the results file.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib.mjs";

export const fmt = (v, d = 1) =>
  v === null || v === undefined || Number.isNaN(v)
    ? "-"
    : Number(v).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

/** "median [min–max]" of a summary. */
export const span = (s, d = 1, unit = "") =>
  s.median === null ? "-" : `${fmt(s.median, d)}${unit} [${fmt(s.min, d)}–${fmt(s.max, d)}]`;

export const usd = (v) => (v === null ? "-" : `$${v.toFixed(v < 0.001 ? 6 : 5)}`);
export const usdSpan = (s) => (s.median === null ? "-" : `${usd(s.median)} [${usd(s.min)}–${usd(s.max)}]`);

/** A SQL statement shortened for a table cell. */
export const sqlCell = (sql) =>
  `\`${(sql.length > 110 ? `${sql.slice(0, 110)}…` : sql).replace(/\|/g, "\\|")}\``;

/** Write bench/results/<date>[-quick].json atomically; answers the path. */
export function writeResults(report, date, quick) {
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${date}${quick ? "-quick" : ""}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}
