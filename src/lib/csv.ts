/** CSV output (RFC 4180), shared by every export. */
export type Cell = string | number | null | undefined;

/**
 * One CSV field (RFC 4180). A text cell that a spreadsheet would run as a formula (=, +, -, @,
 * tab, CR) gets a leading apostrophe: titles and names come from users and contacts.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: Cell[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** Stream lines from an async source, so a large export never sits in memory whole. */
export function csvStream(header: string[], lines: () => AsyncGenerator<Cell[]>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let it: AsyncGenerator<Cell[]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(enc.encode(csvLine(header)));
    },
    async pull(controller) {
      it ??= lines();
      // Hand over a few hundred lines per pull rather than one chunk per line.
      let chunk = "";
      for (let i = 0; i < 200; i++) {
        const next = await it.next();
        if (next.done) {
          if (chunk) controller.enqueue(enc.encode(chunk));
          controller.close();
          return;
        }
        chunk += csvLine(next.value);
      }
      controller.enqueue(enc.encode(chunk));
    },
    async cancel() {
      await it?.return(undefined);
    },
  });
}
