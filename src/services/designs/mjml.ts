/**
 * MJML to HTML in workerd with mjml-browser (MJML's own browser build, 1.3 MB). It is imported on
 * the first design rendered, not when the Worker starts, so requests that render no design never
 * evaluate it. It reads a global `window` when it loads; a Worker has none, so the shim gives it one.
 */
import "./window-shim";

export interface MjmlResult {
  html: string;
  errors: { line: number; message: string; tagName: string }[];
}
type Mjml2Html = (source: string, options: object) => MjmlResult;

let loaded: Promise<Mjml2Html> | null = null;
// @ts-expect-error: mjml-browser ships no types; its default export is mjml2html.
const load = () => (loaded ??= import("mjml-browser").then((m) => (m.default ?? m) as Mjml2Html));

/** Render an MJML document (validation "soft": problems are reported, never thrown). */
export async function renderMjml(source: string): Promise<MjmlResult> {
  const mjml2html = await load();
  const out = mjml2html(source, { validationLevel: "soft", minify: false, keepComments: false });
  return { html: out.html, errors: out.errors ?? [] };
}
