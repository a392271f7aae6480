import { Liquid } from "liquidjs";
import type { ErrorDetail } from "../../lib/errors";

/** Templates never read files: {% include %} and {% render %} have nothing to load. */
const noFiles = {
  readFileSync: () => {
    throw new Error("includes are not supported");
  },
  readFile: async () => {
    throw new Error("includes are not supported");
  },
  existsSync: () => false,
  exists: async () => false,
  contains: async () => false,
  resolve: (_root: string, file: string) => file,
  sep: "/",
};

const limits = {
  strictFilters: true,
  fs: noFiles,
  relativeReference: false,
  // A template is user input: bound what one render may cost.
  parseLimit: 1_000_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
  // A loop or missing variable renders empty rather than failing a send.
  strictVariables: false,
};

/** HTML bodies: every output is HTML-escaped, so contact data cannot inject markup. */
export const htmlLiquid = new Liquid({ ...limits, outputEscape: "escape" });
/** Subjects and text bodies: no HTML escaping (they are not HTML). */
export const textLiquid = new Liquid(limits);

/** Parse a template source; null when it parses, else the error with its line. */
export function liquidError(field: string, source: string, engine: Liquid): ErrorDetail | null {
  try {
    engine.parse(source);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const line = /line:(\d+)/.exec(message)?.[1];
    return { field, message: message.split("\n")[0] ?? message, line: line ? Number(line) : undefined };
  }
}
