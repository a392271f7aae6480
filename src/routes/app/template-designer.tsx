import type { App } from "../../app-env";
import { configOf } from "../../config";
import { ApiError } from "../../lib/errors";
import { escapeHtml } from "../../lib/html";
import { assetView, createAsset } from "../../services/assets/store";
import { getContact } from "../../services/contacts/store";
import { designInputs } from "../../services/designs/inputs";
import { renderDesign } from "../../services/designs/render";
import { checkTemplate } from "../../services/templates/check";
import { getTemplate, previewContext, renderTemplate, updateTemplate } from "../../services/templates/store";
import { DesignDraft } from "../templates/schema";
import { sandboxedHtml } from "./frame";
import { jsonDraft, jsonSave } from "./forms";
import { field, formOf } from "./session";
import { withSnippets } from "../../services/templates/snippets";

export function registerTemplateDesigner(app: App) {
  app.post("/app/templates/:id/design", async (c) => {
    const tenant = c.get("tenant");
    const d = jsonDraft(await formOf(c), DesignDraft);
    if ("issues" in d) return c.json({ issues: d.issues }, 422);
    return jsonSave(c, async () => {
      const row = await updateTemplate(tenant, c.req.param("id"), {
        subject: d.draft.subject,
        preheader: d.draft.preheader || null,
        design: d.draft.design,
      });
      const checks = await checkTemplate(await withSnippets(tenant, row), {
        baseUrl: configOf(c.env).PUBLIC_BASE_URL,
      });
      return { checks };
    });
  });

  app.post("/app/templates/:id/design/preview", async (c) => {
    const tenant = c.get("tenant");
    const form = await formOf(c);
    await getTemplate(tenant, c.req.param("id"));
    const d = jsonDraft(form, DesignDraft);
    let body: string;
    if ("issues" in d)
      body = `<pre>${escapeHtml(d.issues.map((i) => `${i.field ?? ""} ${i.message}`).join("\n"))}</pre>`;
    else
      try {
        const picked = await designInputs(tenant, d.draft.design);
        const out = await renderDesign(d.draft.design, d.draft.preheader || null, picked);
        const contactId = field(form, "contact_id");
        const contact = contactId ? await getContact(tenant, contactId) : null;
        const ctx = previewContext(contact, configOf(c.env).PUBLIC_BASE_URL, "Preview");
        const content = { subject: d.draft.subject, html: out.html, text: out.text };
        const mail = await renderTemplate(await withSnippets(tenant, content), ctx);
        body = `<title>${escapeHtml(mail.subject)}</title>${mail.html}`;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        body = `<pre>${escapeHtml(e.message)}</pre>`;
      }
    return sandboxedHtml(c, `<!doctype html><meta charset="utf-8">${body}`);
  });

  app.post("/app/assets", async (c) => {
    const file = (await formOf(c)).file;
    if (!(file instanceof File))
      return c.json({ error: { code: "VALIDATION_ERROR", message: "choose an image file" } }, 422);
    try {
      const row = await createAsset(c.env.ASSET_BUCKET, c.get("tenant"), {
        name: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      return c.json(assetView(row, configOf(c.env).PUBLIC_BASE_URL), 201);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status >= 500) throw e;
      return c.json({ error: { code: e.code, message: e.message } }, e.status as 413 | 415 | 422);
    }
  });

  app.get("/app/templates/:id/export.html", async (c) => {
    const row = await getTemplate(c.get("tenant"), c.req.param("id"));
    const name = row.name.replace(/[^\w.-]+/g, "-").slice(0, 80) || "template";
    return c.body(row.html, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.html"`,
      "X-Content-Type-Options": "nosniff",
    });
  });
}
