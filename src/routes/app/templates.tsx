import { type CheckIssue, checkTemplate } from "../../services/templates/check";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { ApiError, type ErrorDetail } from "../../lib/errors";
import { escapeHtml } from "../../lib/html";
import { getContact, listContacts } from "../../services/contacts/store";
import {
  assertTemplateParses,
  createTemplate,
  getTemplate,
  listTemplates,
  renderTemplate,
  type TemplateInput,
  previewContext,
  type TemplateRow,
  templateView,
  updateTemplate,
} from "../../services/templates/store";
import { Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { Editor } from "../../ui/app/templates/editor";
import { DesignerSection } from "../../ui/app/templates/designer";
import type { DesignerData } from "../../ui/app/templates/designer-data";
import { DESIGNER_TEXT } from "../../ui/app/i18n-designer";
import { JOURNEY_TEXT } from "../../ui/app/i18n-journey";
import { FIELD_NAMES, OPERATORS } from "../../services/segments/fields";
import type { Design } from "../../services/designs/schema";
import { registerTemplateDesigner } from "./template-designer";
import { registerTemplateTranslations, TranslationsForm } from "./template-translations";
import { sandboxedHtml } from "./frame";
import { GalleryChoice, registerTemplateGallery } from "./template-gallery";
import { registerTemplateTestSend, TestSendForm } from "./template-test-send";
import { withSnippets } from "../../services/templates/snippets";

function inputOf(form: Record<string, unknown>): TemplateInput {
  return {
    name: field(form, "name").trim().slice(0, 200),
    subject: field(form, "subject").slice(0, 998),
    html: field(form, "html").slice(0, 500_000),
    text: field(form, "text") || null,
    preheader: field(form, "preheader").trim().slice(0, 200) || null,
  };
}

async function editorPage(
  c: Ctx,
  id: string | null,
  input: TemplateInput,
  errors: ErrorDetail[] = [],
  warnings: { field: string; message: string }[] = [],
  checks?: CheckIssue[],
) {
  const p = await pageOf(c);
  return render(
    c,
    id ? input.name : p.t.templates.new,
    <>
      {id ? null : await GalleryChoice({ c })}
      {await Editor({ c, id, input, errors, warnings, checks })}
      {id ? await TestSendForm({ c, id }) : null}
      {id ? await TranslationsForm({ c, id }) : null}
    </>,
    errors.length ? 422 : 200,
  );
}

/** The variables the block editor offers (any of KNOWN_VARIABLES works; these are the everyday ones). */
const DESIGN_VARIABLES = [
  "first_name",
  "last_name",
  "email",
  "contact_name",
  "campaign_name",
  "scenario_name",
  "offer_code",
  "unsubscribe_url",
  "preferences_url",
];

/**
 * A designed template's page: the block editor, the export, the test send, and the HTML form for
 * developers behind a disclosure (saving it makes the template raw HTML).
 */
async function designerPage(c: Ctx, row: TemplateRow, checks: CheckIssue[]) {
  const p = await pageOf(c);
  const v = templateView(row);
  const t = DESIGNER_TEXT[p.lang];
  const base = `/app/templates/${encodeURIComponent(row.id)}`;
  const contacts = await listContacts(c.get("tenant"), { limit: 50 });
  const data: DesignerData = {
    mode: "email",
    forms: [],
    template: { id: row.id, name: v.name, subject: v.subject, preheader: v.preheader ?? "" },
    design: v.design as Design,
    contacts: contacts.items.map((x) => ({ id: x.id, name: x.email })),
    variables: DESIGN_VARIABLES,
    checks,
    urls: { save: `${base}/design`, preview: `${base}/design/preview`, upload: "/app/assets" },
    criteria: { t: JOURNEY_TEXT[p.lang], fields: FIELD_NAMES, operators: [...OPERATORS] },
    csrf: p.csrf,
    lang: p.lang,
    t,
  };
  const input = { name: v.name, subject: v.subject, html: v.html, text: v.text, preheader: v.preheader };
  return render(
    c,
    v.name,
    <>
      <DesignerSection data={data} />
      <p>
        <a class="button secondary" href={`${base}/export.html`} download>
          {t.exportHtml}
        </a>
      </p>
      {await TestSendForm({ c, id: row.id })}
      {await TranslationsForm({ c, id: row.id })}
      <details>
        <summary>{t.htmlMode}</summary>
        <p class="muted">{t.htmlModeHint}</p>
        {await Editor({ c, id: row.id, input, errors: [], warnings: v.warnings })}
      </details>
    </>,
  );
}

/** Save a create or an edit; a template that does not parse comes back with its errors and lines. */
async function save(c: Ctx, id: string | null) {
  const input = inputOf(await formOf(c));
  try {
    const row = id
      ? await updateTemplate(c.get("tenant"), id, input)
      : await createTemplate(c.get("tenant"), input);
    return c.redirect(`/app/templates/${encodeURIComponent(row.id)}?saved=1`, 303);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 422 || e.status === 400))
      return editorPage(
        c,
        id,
        input,
        e.details?.length ? e.details : [{ field: "html", message: e.message }],
      );
    throw e;
  }
}

/** Templates: the list, the Liquid editor (variables, errors by line), a preview for a chosen contact. */
export function registerTemplates(app: App) {
  app.get("/app/templates", async (c) => {
    const p = await pageOf(c);
    const list = await listTemplates(c.get("tenant"), { limit: 100 });
    return render(
      c,
      p.t.templates.title,
      <>
        <p>
          <a class="button" href="/app/templates/new">
            {p.t.templates.new}
          </a>{" "}
          <a class="button secondary" href="/app/landing-pages">
            {p.t.templates.landing}
          </a>
        </p>
        <Table
          head={[p.t.common.name, p.t.templates.subject, p.t.common.updated]}
          empty={p.t.common.empty}
          rows={list.items.map((r) => [
            <a href={`/app/templates/${encodeURIComponent(r.id)}`}>{r.name}</a>,
            r.subject,
            formatDate(r.updatedAt, p.lang, p.timeZone),
          ])}
        />
      </>,
    );
  });
  registerTemplateGallery(app);
  registerTemplateDesigner(app);
  registerTemplateTranslations(app);
  registerTemplateTestSend(app);
  app.get("/app/templates/new", (c) => editorPage(c, null, { name: "", subject: "", html: "", text: null }));
  app.post("/app/templates", (c) => save(c, null));
  app.post("/app/templates/preview", async (c) => {
    const form = await formOf(c);
    const input = inputOf(form);
    const tenant = c.get("tenant");
    let body: string;
    try {
      assertTemplateParses(input);
      const contact = await getContact(tenant, field(form, "contact_id"));
      const ctx = previewContext(contact, configOf(c.env).PUBLIC_BASE_URL, "Preview");
      const content = { ...input, html: input.html ?? "", text: input.text ?? null };
      const out = await renderTemplate(await withSnippets(tenant, content), ctx);
      body = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(out.subject)}</title>${out.html}`;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      body = `<!doctype html><meta charset="utf-8"><pre>${escapeHtml(e.message)}</pre>`;
    }
    return sandboxedHtml(c, body);
  });
  app.get("/app/templates/:id", async (c) => {
    const row = await getTemplate(c.get("tenant"), c.req.param("id"));
    const v = templateView(row);
    const checks = await checkTemplate(await withSnippets(c.get("tenant"), row), {
      baseUrl: configOf(c.env).PUBLIC_BASE_URL,
    });
    if (v.design) return designerPage(c, row, checks);
    return editorPage(
      c,
      row.id,
      {
        name: v.name,
        subject: v.subject,
        html: v.html,
        text: v.text,
        preheader: v.preheader,
        design: v.design,
      },
      [],
      v.warnings,
      checks,
    );
  });
  app.post("/app/templates/:id", (c) => save(c, c.req.param("id")));
}
