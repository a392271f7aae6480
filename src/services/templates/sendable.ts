/**
 * Mail whose template the check finds an error in does not leave: a campaign's send and schedule,
 * and a scenario's start, answer 422 TEMPLATE_INVALID naming the template and the issue (a link
 * that is not a web address, Liquid that fails), the template's translations included. Warnings never block. CSS support is not looked
 * at here (warnings only, and the caniemail data is large).
 */
import { inArray } from "drizzle-orm";
import { templates } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import { checkTemplate } from "./check";
import type { TemplateRow } from "./store";
import { withSnippets } from "./snippets";

/** The templates with their translations (a contact's locale may send one of them instead). */
async function withTranslations(tenant: Tenant, rows: TemplateRow[]) {
  const have = new Set(rows.map((r) => r.id));
  const more = [
    ...new Set(
      rows.flatMap((r) => Object.values(parseJson<Record<string, string>>(r.translations ?? "", {}))),
    ),
  ].filter((id) => !have.has(id));
  if (!more.length) return rows;
  const extra = await tenant.db
    .select()
    .from(templates)
    .where(scoped(tenant, templates, inArray(templates.id, more)))
    .all();
  return [...rows, ...extra];
}

export async function assertTemplatesSendable(tenant: Tenant, templateRows: TemplateRow[], baseUrl: string) {
  const found: { row: TemplateRow; code: string; message: string }[] = [];
  for (const row of await withTranslations(tenant, templateRows)) {
    const issues = await checkTemplate(await withSnippets(tenant, row), { baseUrl, css: false });
    for (const i of issues) if (i.severity === "error") found.push({ row, code: i.code, message: i.message });
  }
  const first = found[0];
  if (!first) return;
  throw new ApiError(
    "TEMPLATE_INVALID",
    `template "${first.row.name}" (${first.row.id}) has an error: ${first.code}: ${first.message} (POST /api/v1/templates/${first.row.id}/check lists them)`,
    found.map((f) => ({
      field: "template_id",
      message: `${f.row.name} (${f.row.id}): ${f.code}: ${f.message}`,
    })),
  );
}

/** The same for templates named by id (a scenario's steps and variants). */
export async function assertTemplateIdsSendable(tenant: Tenant, ids: string[], baseUrl: string) {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const rows = await tenant.db
    .select()
    .from(templates)
    .where(scoped(tenant, templates, inArray(templates.id, unique)))
    .all();
  await assertTemplatesSendable(tenant, rows, baseUrl);
}
