/**
 * The template page's language and translations: this template's locale and, for each language,
 * the template a contact of that language gets instead (PATCH /templates's `locale` and
 * `translations`, through the same service). Rows are form fields (`lang`, `translation`), one
 * more empty row to add one; a row with no language or no template is dropped.
 */
import type { App } from "../../app-env";
import { parseJson } from "../../lib/json";
import { getTemplate, listTemplates, updateTemplate } from "../../services/templates/store";
import { Csrf } from "../../ui/app/layout";
import { TemplateLanguage } from "../templates/schema";
import { issuesOf, runForm } from "./forms";
import { templateOutcome } from "./template-outcome";
import { type Ctx, field, formOf, pageOf } from "./session";

const all = (form: Record<string, unknown>, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === "string",
  );
};

export async function TranslationsForm(props: { c: Ctx; id: string }) {
  const p = await pageOf(props.c);
  const t = p.t.templates;
  const tenant = props.c.get("tenant");
  const [row, others] = await Promise.all([
    getTemplate(tenant, props.id),
    listTemplates(tenant, { limit: 100 }),
  ]);
  const rows = [...Object.entries(parseJson<Record<string, string>>(row.translations ?? "", {})), ["", ""]];
  const choices = others.items.filter((x) => x.id !== row.id);
  return (
    <section class="card" id="translations">
      <h2>{t.translations}</h2>
      <p class="muted">{t.translationsHint}</p>
      <form method="post" action={`/app/templates/${encodeURIComponent(row.id)}/translations`}>
        <Csrf />
        <label for="tr-locale">{t.locale}</label>
        <input id="tr-locale" name="locale" value={row.locale ?? ""} maxlength={35} placeholder="en" />
        {rows.map(([lang, id], i) => (
          <div class="row">
            <div>
              <label for={`tr-lang-${i}`}>{`${t.translationLang} ${i + 1}`}</label>
              <input id={`tr-lang-${i}`} name="lang" value={lang} maxlength={35} placeholder="fr" />
            </div>
            <div>
              <label for={`tr-tpl-${i}`}>{`${t.translationTemplate} ${i + 1}`}</label>
              <select id={`tr-tpl-${i}`} name="translation">
                <option value="">{t.none}</option>
                {choices.map((x) => (
                  <option value={x.id} selected={x.id === id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ))}
        <p>
          <button type="submit" class="secondary">
            {t.saveTranslations}
          </button>
        </p>
      </form>
    </section>
  );
}

export function registerTemplateTranslations(app: App) {
  app.post("/app/templates/:id/translations", async (c) => {
    const form = await formOf(c);
    const id = c.req.param("id");
    const p = await pageOf(c);
    const langs = all(form, "lang");
    const ids = all(form, "translation");
    const translations = Object.fromEntries(
      langs.map((l, i) => [l.trim(), ids[i] ?? ""] as const).filter(([l, t]) => l && t),
    );
    const locale = field(form, "locale").trim();
    const back = (kind: "ok" | "error", text: string) =>
      templateOutcome(c, id, p.t.templates.translations, kind, text);
    // The API's own schema decides (a language tag such as fr or fr-CA).
    const parsed = TemplateLanguage.safeParse({
      locale: locale || null,
      translations: Object.keys(translations).length ? translations : null,
    });
    if (!parsed.success)
      return back(
        "error",
        issuesOf(parsed.error)
          .map((e) => `${e.field ?? ""}: ${e.message}`)
          .join("; "),
      );
    return runForm(
      async () => {
        await updateTemplate(c.get("tenant"), id, parsed.data);
        return back("ok", p.t.templates.translationsSaved);
      },
      (errors) => back("error", errors.map((e) => `${e.field ?? ""} ${e.message}`).join("; ")),
    );
  });
}
