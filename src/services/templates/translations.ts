/**
 * Template translations (API.md, "Email designs"): a template's `translations` map a language to
 * another template of the organization; a contact whose `locale` matches (exactly, or by its
 * language: `fr-CA` matches `fr`) gets that template, everyone else the template itself.
 */
import { inArray } from "drizzle-orm";
import { templates } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";

export type Translations = Record<string, string>;

/** The keys as stored: lower case (language tags are case-insensitive). */
export const normalizeTranslations = (t: Translations): Translations =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k.toLowerCase(), v]));

/** The template id a contact of `locale` gets instead of this one, or null (the template itself). */
export function translationId(
  template: { translations: string | null } | undefined,
  locale: string | null | undefined,
): string | null {
  if (!template?.translations || !locale) return null;
  const map = parseJson<Translations>(template.translations, {});
  const tag = locale.toLowerCase();
  return map[tag] ?? map[tag.split("-")[0] as string] ?? null;
}

/** Every translation must be another template of the organization: else 422 naming the language. */
export async function assertTranslations(tenant: Tenant, selfId: string | null, t: Translations) {
  const ids = [...new Set(Object.values(t))];
  if (!ids.length) return;
  const found = await tenant.db
    .select({ id: templates.id })
    .from(templates)
    .where(scoped(tenant, templates, inArray(templates.id, ids)))
    .all();
  const known = new Set(found.map((r) => r.id));
  const bad = Object.entries(t).filter(([, id]) => id === selfId || !known.has(id));
  if (bad.length)
    throw new ApiError(
      "VALIDATION_ERROR",
      "a translation must be another template of the organization",
      bad.map(([lang, id]) => ({
        field: `translations.${lang}`,
        message: id === selfId ? "is the template itself" : `no template ${id}`,
      })),
    );
}
