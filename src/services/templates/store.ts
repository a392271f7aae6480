import { asc, eq, gt } from "drizzle-orm";
import { templates } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { enginesFor, htmlLiquid, liquidError, textLiquid } from "./liquid";
import type { ContactRow } from "../contacts/types";
import { SAMPLE_CONTACT } from "./sample-contact";
import { assertTranslations, normalizeTranslations, type Translations } from "./translations";
import { designInputs } from "../designs/inputs";
import { renderDesign } from "../designs/render";
import type { Design } from "../designs/schema";

export type TemplateRow = typeof templates.$inferSelect;
export interface TemplateInput {
  name: string;
  subject: string;
  /** Raw HTML; rendered from `design` when a design is given. */
  html?: string;
  text?: string | null;
  design?: Design | null;
  preheader?: string | null;
  locale?: string | null;
  translations?: Translations | null;
}

export const templateView = (t: TemplateRow) => ({
  id: t.id,
  name: t.name,
  subject: t.subject,
  html: t.html,
  text: t.text,
  design: t.design ? (JSON.parse(t.design) as Design) : null,
  preheader: t.preheader,
  locale: t.locale,
  translations: t.translations ? parseJson<Translations>(t.translations, {}) : null,
  warnings: unknownVariables(t),
  created_at: iso(t.createdAt) as string,
  updated_at: iso(t.updatedAt) as string,
});

/** Every part must parse; otherwise 422 TEMPLATE_INVALID naming the part and the line. */
export function assertTemplateParses(input: { subject?: string; html?: string; text?: string | null }) {
  const details = [
    input.subject !== undefined ? liquidError("subject", input.subject, textLiquid) : null,
    input.html !== undefined ? liquidError("html", input.html, htmlLiquid) : null,
    input.text ? liquidError("text", input.text, textLiquid) : null,
  ].filter((d) => d !== null);
  if (details.length) {
    const first = details[0];
    throw new ApiError(
      "TEMPLATE_INVALID",
      `template does not parse: ${first?.field}${first?.line ? ` line ${first.line}` : ""}: ${first?.message}`,
      details,
    );
  }
}

/**
 * The columns a create or an edit writes: a design renders html and text (and keeps its JSON);
 * html given without a design makes the template raw HTML again.
 */
async function columnsOf(tenant: Tenant, input: Partial<TemplateInput>, stored?: TemplateRow) {
  const { design, translations, ...fields } = input;
  const rest = {
    ...fields,
    ...(translations !== undefined
      ? { translations: translations ? JSON.stringify(normalizeTranslations(translations)) : null }
      : {}),
  };
  const preheader = input.preheader !== undefined ? input.preheader : (stored?.preheader ?? null);
  const kept =
    design === undefined && input.html === undefined && stored?.design
      ? (JSON.parse(stored.design) as Design)
      : null;
  const source = design ?? kept;
  if (!source) return { ...rest, ...(design === null || input.html !== undefined ? { design: null } : {}) };
  const out = await renderDesign(source, preheader, await designInputs(tenant, source));
  return { ...rest, html: out.html, text: out.text, design: JSON.stringify(source) };
}

export async function createTemplate(tenant: Tenant, input: TemplateInput) {
  if (input.translations) await assertTranslations(tenant, null, input.translations);
  const cols = await columnsOf(tenant, input);
  assertTemplateParses(cols);
  const at = now();
  const [row] = await tenant.db
    .insert(templates)
    .values({
      id: newId("tpl", at),
      organizationId: tenant.orgId,
      name: input.name,
      subject: input.subject,
      html: cols.html ?? "",
      text: cols.text ?? null,
      design: cols.design ?? null,
      preheader: input.preheader ?? null,
      locale: input.locale ?? null,
      translations: cols.translations ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row as TemplateRow;
}

export async function getTemplate(tenant: Tenant, id: string): Promise<TemplateRow> {
  const row = await tenant.db
    .select()
    .from(templates)
    .where(scoped(tenant, templates, eq(templates.id, id)))
    .get();
  if (!row) throw notFound("template");
  return row;
}

export async function listTemplates(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(templates)
    .where(scoped(tenant, templates, after ? gt(templates.id, String(after[0])) : undefined))
    .orderBy(asc(templates.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

export async function updateTemplate(tenant: Tenant, id: string, input: Partial<TemplateInput>) {
  if (input.translations) await assertTranslations(tenant, id, input.translations);
  // A preheader change re-renders a design's html: the stored design is read first.
  const stored =
    input.preheader !== undefined && input.design === undefined ? await getTemplate(tenant, id) : undefined;
  const cols = await columnsOf(tenant, input, stored);
  assertTemplateParses(cols);
  const [row] = await tenant.db
    .update(templates)
    .set({ ...cols, updatedAt: now() })
    .where(scoped(tenant, templates, eq(templates.id, id)))
    .returning();
  if (!row) throw notFound("template");
  return row;
}

export async function deleteTemplate(tenant: Tenant, id: string) {
  const res = await tenant.db
    .delete(templates)
    .where(scoped(tenant, templates, eq(templates.id, id)))
    .returning({ id: templates.id });
  if (!res.length) throw notFound("template");
}

/** The variables a template sees: every contact field, attributes.*, scenario_name, unsubscribe_url (and _link). */
export function templateContext(
  contact: ContactRow,
  extra: { scenario_name?: string; unsubscribe_url?: string; preferences_url?: string } = {},
) {
  const fields = {
    id: contact.id,
    email: contact.email,
    first_name: contact.firstName,
    last_name: contact.lastName,
    phone: contact.phone,
    timezone: contact.timezone,
    tags: parseJson<string[]>(contact.tags, []),
    attributes: parseJson<Record<string, unknown>>(contact.attributes, {}),
    status: contact.status,
    score: contact.score,
    validation_score: contact.validationScore,
    deliverable: contact.deliverable,
  };
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ").trim();
  return {
    ...fields,
    contact: fields,
    // The names templates written for the seed systems use.
    contact_name: name || contact.email,
    domain: contact.email.split("@")[1] ?? "",
    siret: String(fields.attributes.siret ?? ""),
    scenario_name: extra.scenario_name ?? "",
    unsubscribe_url: extra.unsubscribe_url ?? "",
    // The same link under the name the seed templates use: one source, so no caller fills one only.
    unsubscribe_link: extra.unsubscribe_url ?? "",
    ...(extra.preferences_url !== undefined ? { preferences_url: extra.preferences_url } : {}),
  };
}

/**
 * The variables of a rendering that sends nothing to the contact (preview, check, test send): the
 * unsubscribe and preferences links point at the public pages' preview, which changes nothing.
 */
export const previewContext = (contact: ContactRow | null, baseUrl: string, scenarioName: string) => ({
  ...templateContext(contact ?? SAMPLE_CONTACT, {
    scenario_name: scenarioName,
    unsubscribe_url: `${baseUrl}/u/preview`,
    preferences_url: `${baseUrl}/p/preview`,
  }),
  // The Worker's address, as a send sets it: an image block's asset URL starts with it.
  tracking_base: baseUrl,
});

/** Every top-level variable a send provides (templateContext, compose, recommendations). */
export const KNOWN_VARIABLES = new Set([
  "id",
  "email",
  "first_name",
  "last_name",
  "phone",
  "timezone",
  "tags",
  "attributes",
  "status",
  "score",
  "validation_score",
  "deliverable",
  "contact",
  "contact_name",
  "domain",
  "siret",
  "scenario_name",
  // Set by a send for a design's conditional blocks (designs/visibility.ts).
  "hidden",
  "campaign_name",
  "unsubscribe_url",
  "unsubscribe_link",
  "preferences_url",
  "tracking_base",
  "recommendations",
  "recommendation_kind",
  "offer_code",
]);

/** Variables a send sets for its own use (a design's conditional blocks, image URLs): not offered to marketers. */
const INTERNAL_VARIABLES = new Set(["hidden", "tracking_base"]);

/** The variables a template's editor lists for the marketer to use. */
export const OFFERED_VARIABLES = [...KNOWN_VARIABLES].filter((v) => !INTERNAL_VARIABLES.has(v));

/** Variables no contact field or send provides (they would render empty): warnings, not errors. */
export function unknownVariables(t: Pick<TemplateRow, "subject" | "html" | "text">) {
  const out: { field: string; message: string }[] = [];
  for (const [field, source, engine] of [
    ["subject", t.subject, textLiquid],
    ["html", t.html, htmlLiquid],
    ["text", t.text ?? "", textLiquid],
  ] as const) {
    let names: string[] = [];
    try {
      names = engine.globalVariablesSync(source);
    } catch {
      continue;
    }
    for (const n of new Set(names))
      if (!KNOWN_VARIABLES.has(n))
        out.push({ field, message: `unknown variable ${n}: no contact field provides it, it renders empty` });
  }
  return out;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string | null;
}

/** Render subject, html and text for one contact. Errors at render time surface as TEMPLATE_INVALID. */
export async function renderTemplate(
  template: Pick<TemplateRow, "subject" | "html" | "text"> & { snippets?: Record<string, string> },
  ctx: object,
): Promise<Rendered> {
  const e = enginesFor(template.snippets);
  const opts = e.options(ctx);
  try {
    const [subject, html, text] = await Promise.all([
      e.text.parseAndRender(template.subject, ctx, opts),
      e.html.parseAndRender(template.html, ctx, opts),
      template.text ? e.text.parseAndRender(template.text, ctx, opts) : Promise.resolve(null),
    ]);
    // A subject is a header: a value that renders with a line break is folded to one line.
    return { subject: subject.replace(/[\r\n]+/g, " ").trim(), html, text };
  } catch (e) {
    throw new ApiError(
      "TEMPLATE_INVALID",
      `template failed to render: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
