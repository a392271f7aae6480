import { Liquid } from "liquidjs";
import type { ErrorDetail } from "../../lib/errors";

/** Templates read no files: {% render %} reads the organization's snippets (enginesFor), nothing else. */
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

/** The organization's snippets as the only files `{% render 'name' %}` can read. */
function snippetFiles(files: Record<string, string>) {
  const has = (f: string) => Object.hasOwn(files, f);
  const read = (f: string) => {
    if (!has(f)) throw new Error(`no snippet named ${f}`);
    return files[f] as string;
  };
  return {
    readFileSync: read,
    readFile: async (f: string) => read(f),
    existsSync: has,
    exists: async (f: string) => has(f),
    contains: async () => true,
    resolve: (_root: string, file: string) => file,
    sep: "/",
  };
}

export interface Engines {
  html: Liquid;
  text: Liquid;
  /** Render options: with snippets, the variables are globals so a snippet sees them too. */
  options: (ctx: object) => { globals: object } | undefined;
}

const PLAIN: Engines = { html: htmlLiquid, text: textLiquid, options: () => undefined };

/** The engines for a template: the plain ones, or ones that render the given snippets. */
export function enginesFor(snippets?: Record<string, string>): Engines {
  if (!snippets) return PLAIN;
  const fs = snippetFiles(snippets);
  return {
    html: new Liquid({ ...limits, fs, outputEscape: "escape" }),
    text: new Liquid({ ...limits, fs }),
    options: (ctx) => ({ globals: ctx }),
  };
}

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
