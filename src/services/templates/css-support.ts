/**
 * UNSUPPORTED_CSS: the HTML and CSS features of an email that major clients do not support, from
 * the caniemail data as @jsx-email/doiuse-email reads it (imported on first use: 900 KB of data).
 * A design's HTML is MJML's, whose own scaffold uses some such features on purpose, each with a
 * fallback (media queries, classes, the body element...): for designs only the features beyond that
 * scaffold are reported, i.e. what a raw HTML block brings. A raw HTML template is reported whole.
 */
import { renderDesign } from "../designs/render";
import { DesignSchema } from "../designs/schema";
import type { CheckIssue } from "./check-types";

/** The clients most lists are read in: every version of each. */
export const CHECKED_CLIENTS = ["apple-mail.*", "gmail.*", "outlook.*", "yahoo.*"];

type DoIUse = typeof import("@jsx-email/doiuse-email").doIUseEmail;
let lib: Promise<DoIUse> | null = null;
const load = () => (lib ??= import("@jsx-email/doiuse-email").then((m) => m.doIUseEmail));

/** Each unsupported feature of the HTML with the clients that lack it. */
export async function unsupportedFeatures(html: string): Promise<Map<string, Set<string>>> {
  const doIUse = await load();
  const out = new Map<string, Set<string>>();
  let result: ReturnType<DoIUse>;
  try {
    result = doIUse(html, { emailClients: CHECKED_CLIENTS });
  } catch {
    return out;
  }
  for (const e of "errors" in result ? result.errors : []) {
    const m = /^`(.+)` is not supported by `(.+)`$/.exec(e);
    if (!m) continue;
    const set = out.get(m[1] as string) ?? new Set<string>();
    set.add(m[2] as string);
    out.set(m[1] as string, set);
  }
  return out;
}

/** Every block MJML renders with its own markup (not a raw html block): the scaffold's features. */
const SCAFFOLD = DesignSchema.parse({
  blocks: [
    {
      type: "section",
      columns: [
        [
          { type: "heading", text: "h" },
          { type: "text", html: "<p>t <a href='https://x.example'>a</a></p><ul><li>l</li></ul>" },
        ],
        [{ type: "image", src: "https://x.example/i.png", alt: "i", href: "https://x.example" }],
      ],
    },
    { type: "button", label: "b", href: "https://x.example" },
    { type: "divider" },
    { type: "spacer" },
    { type: "social", links: [{ network: "website", href: "https://x.example" }] },
    { type: "products", source: "recommendations" },
    { type: "footer", address: "a" },
  ],
});
let scaffold: Promise<Set<string>> | null = null;
const scaffoldFeatures = () =>
  (scaffold ??= renderDesign(SCAFFOLD, "p").then(
    async (r) => new Set((await unsupportedFeatures(r.html)).keys()),
  ));

export async function cssIssues(html: string, designed: boolean): Promise<CheckIssue[]> {
  const found = await unsupportedFeatures(html);
  const known = designed ? await scaffoldFeatures() : new Set<string>();
  return [...found.entries()]
    .filter(([feature]) => !known.has(feature))
    .map(([feature, clients]) => ({
      code: "UNSUPPORTED_CSS" as const,
      severity: "warning" as const,
      message: `${feature} is not supported by ${[...clients].sort().join(", ")}`,
    }));
}
