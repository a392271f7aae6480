/** Vite `?raw` imports: the file's text (the shared provider fixtures are read this way). */
declare module "*?raw" {
  const content: string;
  export default content;
}

/** Vite `?inline` imports: a binary fixture as a data URL (base64). */
declare module "*?inline" {
  const dataUrl: string;
  export default dataUrl;
}

declare module "*/cron-match.mjs" {
  export function matchesCron(expr: string, date: Date): boolean;
}

/** Vite's import.meta.glob, as the corpus tests use it (eager, each file's text). */
interface ImportMeta {
  glob(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, string>;
}
