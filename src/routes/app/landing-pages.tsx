/**
 * Landing pages in the UI: the list with a create form (name, slug, a sign-up form), and each page
 * in the block editor (web/designer in landing mode: the title, form blocks, published, the
 * preview as the public page renders it). Saves go through the same service as the API.
 */
import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import type { ErrorDetail } from "../../lib/errors";
import { escapeHtml } from "../../lib/html";
import { listForms } from "../../services/forms/store";
import { renderLanding } from "../../services/landing/render";
import { LandingDesign, slugField } from "../../services/landing/schema";
import {
  createLanding,
  getLanding,
  landingUrl,
  listLandings,
  shownInputs,
  updateLanding,
} from "../../services/landing/store";
import { Notice, Table } from "../../ui/app/components";
import { DESIGNER_TEXT } from "../../ui/app/i18n-designer";
import { JOURNEY_TEXT } from "../../ui/app/i18n-journey";
import { Csrf } from "../../ui/app/layout";
import { DesignerSection } from "../../ui/app/templates/designer";
import type { DesignerData } from "../../ui/app/templates/designer-data";
import type { Design } from "../../services/designs/schema";
import { sandboxedHtml } from "./frame";
import { issuesOf, jsonDraft, jsonSave, runForm } from "./forms";
import { type Ctx, field, formOf, pageOf, render } from "./session";

const PageDraft = z
  .object({
    subject: z.string().max(200),
    preheader: z.string().optional(),
    design: LandingDesign,
    published: z.boolean(),
  })
  .strict();

async function listPage(c: Ctx, errors: ErrorDetail[] = [], values: Record<string, string> = {}) {
  const p = await pageOf(c);
  const t = p.t.templates;
  const tenant = c.get("tenant");
  const [pages, forms] = await Promise.all([
    listLandings(tenant, { limit: 100 }),
    listForms(tenant, { limit: 100 }),
  ]);
  const base = configOf(c.env).PUBLIC_BASE_URL;
  return render(
    c,
    t.landing,
    <>
      <p class="muted">{t.landingIntro}</p>
      <Table
        head={[p.t.common.name, t.landingAddress, p.t.common.status]}
        empty={p.t.common.empty}
        rows={pages.items.map((r) => [
          <a href={`/app/landing-pages/${encodeURIComponent(r.id)}`}>{r.name}</a>,
          <code class="url">{landingUrl(base, r)}</code>,
          r.published ? t.published : t.unpublished,
        ])}
      />
      <section class="card">
        <h2>{t.landingNew}</h2>
        {errors.length ? (
          <Notice kind="error">{errors.map((e) => `${e.field ?? ""} ${e.message}`).join("; ")}</Notice>
        ) : null}
        <form method="post" action="/app/landing-pages">
          <Csrf />
          <label for="lp-name">{p.t.common.name}</label>
          <input id="lp-name" name="name" required maxlength={200} value={values.name ?? ""} />
          <label for="lp-slug">{t.slug}</label>
          <input
            id="lp-slug"
            name="slug"
            required
            pattern="[a-z0-9][a-z0-9\-]*"
            maxlength={64}
            value={values.slug ?? ""}
          />
          <label for="lp-form">{t.landingForm}</label>
          <select id="lp-form" name="form_id">
            <option value="">{t.noForm}</option>
            {forms.items.map((f) => (
              <option value={f.id}>{f.name}</option>
            ))}
          </select>
          <p>
            <button type="submit">{p.t.common.create}</button>
          </p>
        </form>
      </section>
    </>,
    errors.length ? 422 : 200,
  );
}

export function registerLandingPages(app: App) {
  app.get("/app/landing-pages", (c) => listPage(c));
  app.post("/app/landing-pages", async (c) => {
    const form = await formOf(c);
    const p = await pageOf(c);
    const values = { name: field(form, "name").trim(), slug: field(form, "slug").trim() };
    const slug = slugField.safeParse(values.slug);
    if (!slug.success)
      return listPage(
        c,
        issuesOf(slug.error).map((e) => ({ ...e, field: "slug" })),
        values,
      );
    const formId = field(form, "form_id");
    return runForm(
      async () => {
        const row = await createLanding(c.get("tenant"), {
          name: values.name || values.slug,
          slug: slug.data,
          title: values.name || null,
          published: false,
          design: LandingDesign.parse({
            blocks: [
              { type: "heading", text: values.name || values.slug, level: 1 },
              { type: "text", html: `<p>${p.t.templates.landingStarter}</p>` },
              ...(formId ? [{ type: "form", form_id: formId }] : []),
            ],
          }),
        });
        return c.redirect(`/app/landing-pages/${encodeURIComponent(row.id)}`, 303);
      },
      (errors) => listPage(c, errors, values),
    );
  });

  app.get("/app/landing-pages/:id", async (c) => {
    const p = await pageOf(c);
    const tenant = c.get("tenant");
    const row = await getLanding(tenant, c.req.param("id"));
    const forms = await listForms(tenant, { limit: 100 });
    const base = `/app/landing-pages/${encodeURIComponent(row.id)}`;
    const data: DesignerData = {
      mode: "landing",
      template: { id: row.id, name: row.name, subject: row.title ?? row.name, preheader: "" },
      design: JSON.parse(row.design) as Design,
      forms: forms.items.map((f) => ({ id: f.id, name: f.name })),
      page: { url: landingUrl(configOf(c.env).PUBLIC_BASE_URL, row), published: row.published },
      contacts: [],
      variables: [],
      checks: [],
      urls: { save: `${base}/design`, preview: `${base}/design/preview`, upload: "/app/assets" },
      // A page has no contact: its blocks show to every visitor.
      criteria: { t: JOURNEY_TEXT[p.lang], fields: [], operators: [] },
      csrf: p.csrf,
      lang: p.lang,
      t: DESIGNER_TEXT[p.lang],
    };
    return render(c, row.name, <DesignerSection data={data} />);
  });

  app.post("/app/landing-pages/:id/design", async (c) => {
    const d = jsonDraft(await formOf(c), PageDraft);
    if ("issues" in d) return c.json({ issues: d.issues }, 422);
    return jsonSave(c, async () => {
      await updateLanding(c.get("tenant"), c.req.param("id"), {
        title: d.draft.subject || null,
        design: d.draft.design,
        published: d.draft.published,
      });
      return { checks: [] };
    });
  });

  app.post("/app/landing-pages/:id/design/preview", async (c) => {
    const tenant = c.get("tenant");
    await getLanding(tenant, c.req.param("id"));
    const d = jsonDraft(await formOf(c), PageDraft);
    if ("issues" in d)
      return sandboxedHtml(
        c,
        `<pre>${escapeHtml(d.issues.map((i) => `${i.field ?? ""} ${i.message}`).join("\n"))}</pre>`,
      );
    const inputs = await shownInputs(tenant, d.draft.design);
    const html = renderLanding(
      { title: d.draft.subject, design: d.draft.design },
      { baseUrl: configOf(c.env).PUBLIC_BASE_URL, ...inputs, nonce: "preview" },
    );
    return sandboxedHtml(c, html);
  });
}
