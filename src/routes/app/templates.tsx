import type { App } from "../../app-env";
import { configOf } from "../../config";
import { ApiError, type ErrorDetail } from "../../lib/errors";
import { escapeHtml } from "../../lib/html";
import { getContact, listContacts } from "../../services/contacts/store";
import {
  assertTemplateParses,
  createTemplate,
  getTemplate,
  KNOWN_VARIABLES,
  listTemplates,
  renderTemplate,
  type TemplateInput,
  templateContext,
  templateView,
  updateTemplate,
} from "../../services/templates/store";
import { Notice, Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { AppLayout, Csrf, type Page } from "../../ui/app/layout";
import { type Ctx, field, formOf, html, pageOf } from "./session";

const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox";

function inputOf(form: Record<string, unknown>): TemplateInput {
  return {
    name: field(form, "name").trim().slice(0, 200),
    subject: field(form, "subject").slice(0, 998),
    html: field(form, "html").slice(0, 500_000),
    text: field(form, "text") || null,
  };
}

async function Editor(props: {
  c: Ctx;
  p: Page;
  id: string | null;
  input: TemplateInput;
  errors: ErrorDetail[];
  warnings: { field: string; message: string }[];
}) {
  const { p, input } = props;
  const { t } = p;
  const contacts = await listContacts(props.c.get("tenant"), { limit: 50 });
  const action = props.id ? `/app/templates/${encodeURIComponent(props.id)}` : "/app/templates";
  const errorOf = (f: string) => props.errors.find((e) => e.field === f);
  const Err = (x: { f: string }) => {
    const e = errorOf(x.f);
    return e ? (
      <p class="notice error" id={`${x.f}-error`} role="alert">
        {e.line ? `line ${e.line}: ` : ""}
        {e.message}
      </p>
    ) : null;
  };
  return (
    <div class="grid">
      <form method="post" action={action} data-live-preview>
        <Csrf p={p} />
        {props.errors.length ? <Notice kind="error">{t.common.error}</Notice> : null}
        <label for="name">{t.common.name}</label>
        <input id="name" name="name" required value={input.name} />
        <label for="subject">{t.templates.subject}</label>
        <input id="subject" name="subject" required value={input.subject} aria-describedby="subject-error" />
        <Err f="subject" />
        <label for="html">{t.templates.html}</label>
        <textarea id="html" name="html" rows={14} required aria-describedby="html-error">
          {input.html}
        </textarea>
        <Err f="html" />
        <label for="text">{t.templates.text}</label>
        <textarea id="text" name="text" rows={5} aria-describedby="text-error">
          {input.text ?? ""}
        </textarea>
        <Err f="text" />
        {props.warnings.length ? (
          <Notice kind="error">
            {t.templates.warnings}: {props.warnings.map((w) => w.message).join("; ")}
          </Notice>
        ) : null}
        <div class="row">
          <button type="submit">{t.common.save}</button>
          <div>
            <label for="contact_id">{t.templates.previewFor}</label>
            <select id="contact_id" name="contact_id">
              {contacts.items.map((r) => (
                <option value={r.id}>{r.email}</option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            class="secondary"
            formaction="/app/templates/preview"
            formtarget="preview"
            data-preview
          >
            {t.templates.preview}
          </button>
        </div>
      </form>
      <div>
        <h2>{t.templates.preview}</h2>
        <iframe class="preview" name="preview" title={t.templates.preview} sandbox="" src="about:blank" />
        <h2>{t.templates.variables}</h2>
        <p class="muted">
          {[...KNOWN_VARIABLES].map((v) => (
            <code>{`{{ ${v} }} `}</code>
          ))}
        </p>
      </div>
    </div>
  );
}

async function editorPage(
  c: Ctx,
  id: string | null,
  input: TemplateInput,
  errors: ErrorDetail[] = [],
  warnings: { field: string; message: string }[] = [],
) {
  const p = await pageOf(c);
  return html(
    c,
    <AppLayout p={p} title={id ? input.name : p.t.templates.new}>
      {await Editor({ c, p, id, input, errors, warnings })}
    </AppLayout>,
    errors.length ? 422 : 200,
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
    return html(
      c,
      <AppLayout p={p} title={p.t.templates.title}>
        <p>
          <a class="button" href="/app/templates/new">
            {p.t.templates.new}
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
      </AppLayout>,
    );
  });
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
      const ctx = templateContext(contact, {
        scenario_name: "Preview",
        unsubscribe_url: `${configOf(c.env).PUBLIC_BASE_URL}/u/preview`,
      });
      const out = await renderTemplate({ ...input, text: input.text ?? null }, ctx);
      body = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(out.subject)}</title>${out.html}`;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      body = `<!doctype html><meta charset="utf-8"><pre>${escapeHtml(e.message)}</pre>`;
    }
    return c.body(body, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": PREVIEW_CSP,
      "X-Frame-Options": "SAMEORIGIN",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
  });
  app.get("/app/templates/:id", async (c) => {
    const row = await getTemplate(c.get("tenant"), c.req.param("id"));
    const v = templateView(row);
    return editorPage(
      c,
      row.id,
      { name: v.name, subject: v.subject, html: v.html, text: v.text },
      [],
      v.warnings,
    );
  });
  app.post("/app/templates/:id", (c) => save(c, c.req.param("id")));
}
