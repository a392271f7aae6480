import { csvLine } from "../../lib/csv";

const CSV_COLUMNS = [
  "id",
  "name",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "orders",
  "revenue",
  "open_rate",
  "click_rate",
  "bounce_rate",
  "conversion_rate",
] as const;

/** The breakdown as CSV (RFC 4180; a name a spreadsheet would run as a formula is neutralised). */
export const reportCsv = (items: object[]) =>
  csvLine([...CSV_COLUMNS]) +
  items
    .map((r) => csvLine(CSV_COLUMNS.map((k) => (r as Record<string, string | number | null>)[k])))
    .join("");
