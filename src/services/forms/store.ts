import { desc, eq, lt } from "drizzle-orm";
import { createDb } from "../../db/client";
import { d1Named, databaseNames, tenantFor } from "../../db/route";
import { forms } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId, randomToken } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { getSegment } from "../segments/store";
import { escapeHtml } from "../../lib/html";

export type FormRow = typeof forms.$inferSelect;
export interface FormField {
  name: string;
  type: "email" | "text" | "tel" | "textarea";
  required: boolean;
}
export interface FormInput {
  name: string;
  fields: (string | { name: string; type?: FormField["type"]; required?: boolean })[];
  tags?: string[];
  segment_id?: string | null;
  redirect_url?: string | null;
  double_opt_in?: boolean | null;
  confirmation_template_id?: string | null;
  language?: "en" | "fr";
}

const LABELS: Record<string, { en: string; fr: string }> = {
  email: { en: "Email", fr: "E-mail" },
  first_name: { en: "First name", fr: "Prénom" },
  last_name: { en: "Last name", fr: "Nom" },
  phone: { en: "Phone", fr: "Téléphone" },
};

/** The fields as stored: bare names expanded, email always there and required. */
export function normalizeFields(input: FormInput["fields"]): FormField[] {
  const out: FormField[] = [];
  for (const f of input) {
    const spec = typeof f === "string" ? { name: f } : f;
    const name = spec.name.trim();
    if (out.some((x) => x.name === name)) continue;
    const type = spec.type ?? (name === "email" ? "email" : name === "phone" ? "tel" : "text");
    out.push({ name, type, required: name === "email" || (spec.required ?? false) });
  }
  if (!out.some((f) => f.name === "email")) out.unshift({ name: "email", type: "email", required: true });
  return out;
}

/**
 * An HTML form to paste into a website: posts to the action URL, with the honeypot field (moved
 * off screen by a style attribute, or by `hiddenClass` on a page whose CSP forbids those).
 */
export function formSnippet(f: FormRow, actionUrl: string, hiddenClass?: string): string {
  const lang = f.language === "fr" ? "fr" : "en";
  const fields = parseJson<FormField[]>(f.fields, []);
  const inputs = fields
    .map((x) => {
      const label = LABELS[x.name]?.[lang] ?? x.name;
      const id = `em-${x.name}`;
      const control =
        x.type === "textarea"
          ? `<textarea id="${escapeHtml(id)}" name="${escapeHtml(x.name)}"${x.required ? " required" : ""}></textarea>`
          : `<input id="${escapeHtml(id)}" name="${escapeHtml(x.name)}" type="${x.type}"${x.required ? " required" : ""}${x.name === "email" ? ' autocomplete="email"' : ""}>`;
      return `  <p><label for="${escapeHtml(id)}">${escapeHtml(label)}</label><br>${control}</p>`;
    })
    .join("\n");
  const submit = lang === "fr" ? "Je m'inscris" : "Subscribe";
  return [
    `<form method="post" action="${escapeHtml(actionUrl)}">`,
    inputs,
    `  <div ${hiddenClass ? `class="${escapeHtml(hiddenClass)}"` : 'style="position:absolute;left:-5000px"'} aria-hidden="true"><input name="website" tabindex="-1" autocomplete="off"></div>`,
    `  <p><button type="submit">${submit}</button></p>`,
    "</form>",
  ].join("\n");
}

export function formView(f: FormRow, baseUrl: string) {
  const actionUrl = `${baseUrl}/f/${f.token}`;
  return {
    id: f.id,
    name: f.name,
    token: f.token,
    action_url: actionUrl,
    snippet: formSnippet(f, actionUrl),
    fields: parseJson<FormField[]>(f.fields, []),
    tags: parseJson<string[]>(f.tags, []),
    segment_id: f.segmentId,
    redirect_url: f.redirectUrl,
    double_opt_in: f.doubleOptIn,
    confirmation_template_id: f.confirmationTemplateId,
    language: f.language,
    created_at: iso(f.createdAt) as string,
    updated_at: iso(f.updatedAt) as string,
  };
}

async function assertSegment(tenant: Tenant, id: string | null | undefined) {
  if (!id) return;
  const s = await getSegment(tenant, id);
  if (s.type !== "static") throw new ApiError("CONFLICT", "a form adds its sign-ups to a static segment");
}

export async function createForm(tenant: Tenant, input: FormInput): Promise<FormRow> {
  await assertSegment(tenant, input.segment_id);
  const at = now();
  const [row] = await tenant.db
    .insert(forms)
    .values({
      id: newId("frm", at),
      organizationId: tenant.orgId,
      name: input.name,
      token: randomToken(18),
      fields: JSON.stringify(normalizeFields(input.fields)),
      tags: JSON.stringify([...new Set(input.tags ?? [])]),
      segmentId: input.segment_id ?? null,
      redirectUrl: input.redirect_url ?? null,
      doubleOptIn: input.double_opt_in ?? null,
      confirmationTemplateId: input.confirmation_template_id ?? null,
      language: input.language ?? "en",
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row as FormRow;
}

/** The form, or undefined (deleted since its link was sent). */
export const findForm = (tenant: Tenant, id: string): Promise<FormRow | undefined> =>
  tenant.db
    .select()
    .from(forms)
    .where(scoped(tenant, forms, eq(forms.id, id)))
    .get();

/** The form, or a 404. */
export async function getForm(tenant: Tenant, id: string): Promise<FormRow> {
  const row = await findForm(tenant, id);
  if (!row) throw notFound("form");
  return row;
}

export async function listForms(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(forms)
    .where(scoped(tenant, forms, after ? lt(forms.id, String(after[0])) : undefined))
    .orderBy(desc(forms.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

export async function updateForm(tenant: Tenant, id: string, patch: Partial<FormInput>) {
  await getForm(tenant, id);
  if (patch.segment_id) await assertSegment(tenant, patch.segment_id);
  await tenant.db
    .update(forms)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.fields !== undefined ? { fields: JSON.stringify(normalizeFields(patch.fields)) } : {}),
      ...(patch.tags !== undefined ? { tags: JSON.stringify([...new Set(patch.tags)]) } : {}),
      ...(patch.segment_id !== undefined ? { segmentId: patch.segment_id } : {}),
      ...(patch.redirect_url !== undefined ? { redirectUrl: patch.redirect_url } : {}),
      ...(patch.double_opt_in !== undefined ? { doubleOptIn: patch.double_opt_in } : {}),
      ...(patch.confirmation_template_id !== undefined
        ? { confirmationTemplateId: patch.confirmation_template_id }
        : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      updatedAt: now(),
    })
    .where(scoped(tenant, forms, eq(forms.id, id)));
  return getForm(tenant, id);
}

export async function deleteForm(tenant: Tenant, id: string) {
  await getForm(tenant, id);
  await tenant.db.delete(forms).where(scoped(tenant, forms, eq(forms.id, id)));
}

/** The form a public token names and its organization, looked up in every database (null: unknown). */
export async function formByToken(
  env: Env,
  token: string,
): Promise<{ form: FormRow; tenant: Tenant } | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  for (const name of databaseNames(env)) {
    const form = await createDb(d1Named(env, name)).select().from(forms).where(eq(forms.token, token)).get();
    if (form) return { form, tenant: await tenantFor(env, form.organizationId) };
  }
  return null;
}
