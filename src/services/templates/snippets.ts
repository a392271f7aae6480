/**
 * Snippets (API.md, "Email designs"): reusable HTML with Liquid that templates and other snippets
 * use by `{% render 'name' %}`. Names are unique per organization; a snippet may render others,
 * at most MAX_DEPTH deep and never in a circle (both refused when saved, 422). Renders read the
 * organization's snippets only when a source uses them (one query), nothing otherwise.
 */
import { asc, eq, gt } from "drizzle-orm";
import { snippets } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { htmlLiquid, liquidError } from "./liquid";

export type SnippetRow = typeof snippets.$inferSelect;
export const MAX_DEPTH = 3;
const RENDER = /\{%-?\s*render\s+['"]([^'"]+)['"]/g;

export const snippetView = (s: SnippetRow) => ({
  id: s.id,
  name: s.name,
  html: s.html,
  created_at: iso(s.createdAt) as string,
  updated_at: iso(s.updatedAt) as string,
});

/** The snippet names a source renders. */
export const renderedNames = (source: string) => [...source.matchAll(RENDER)].map((m) => m[1] as string);

/** Whether any of the sources renders a snippet. */
export const usesSnippets = (...sources: (string | null | undefined)[]) =>
  sources.some((s) => !!s && /\{%-?\s*render\s/.test(s));

async function allSnippets(tenant: Tenant): Promise<Record<string, string>> {
  const rows = await tenant.db
    .select({ name: snippets.name, html: snippets.html })
    .from(snippets)
    .where(scoped(tenant, snippets))
    .all();
  return Object.fromEntries(rows.map((r) => [r.name, r.html]));
}

/** The organization's snippets when one of the sources renders any; undefined otherwise (no query). */
export const snippetsFor = (tenant: Tenant, ...sources: (string | null | undefined)[]) =>
  usesSnippets(...sources) ? allSnippets(tenant) : Promise.resolve(undefined);

/** How deep `name` renders others (itself 1); a circle is an error naming it. */
function depthOf(all: Record<string, string>, name: string, path: string[] = []): number {
  if (path.includes(name))
    throw new ApiError(
      "VALIDATION_ERROR",
      `snippets render each other in a circle: ${[...path, name].join(" -> ")}`,
      [{ field: "html", message: "a snippet cannot render itself, directly or through others" }],
    );
  const inner = renderedNames(all[name] ?? "").filter((n) => n in all);
  return 1 + Math.max(0, ...inner.map((n) => depthOf(all, n, [...path, name])));
}

/** The snippet parses, and with it no snippet renders deeper than MAX_DEPTH or in a circle. */
async function assertSnippet(tenant: Tenant, name: string, html: string, previous?: string) {
  const error = liquidError("html", html, htmlLiquid);
  if (error) throw new ApiError("VALIDATION_ERROR", `html: ${error.message}`, [error]);
  const all = await allSnippets(tenant);
  if (previous && previous !== name) delete all[previous];
  all[name] = html;
  for (const n of Object.keys(all))
    if (depthOf(all, n) > MAX_DEPTH)
      throw new ApiError("VALIDATION_ERROR", `snippets render at most ${MAX_DEPTH} deep`, [
        { field: "html", message: `${n} renders more than ${MAX_DEPTH} levels of snippets` },
      ]);
}

async function assertFreeName(tenant: Tenant, name: string, selfId?: string) {
  const taken = await tenant.db
    .select({ id: snippets.id })
    .from(snippets)
    .where(scoped(tenant, snippets, eq(snippets.name, name)))
    .get();
  if (taken && taken.id !== selfId)
    throw new ApiError("CONFLICT", `a snippet named ${name} exists`, [
      { field: "name", message: "already used" },
    ]);
}

export async function createSnippet(tenant: Tenant, input: { name: string; html: string }) {
  await assertFreeName(tenant, input.name);
  await assertSnippet(tenant, input.name, input.html);
  const at = now();
  const [row] = await tenant.db
    .insert(snippets)
    .values({ id: newId("snp", at), organizationId: tenant.orgId, ...input, createdAt: at, updatedAt: at })
    .returning();
  return row as SnippetRow;
}

export async function getSnippet(tenant: Tenant, id: string) {
  const row = await tenant.db
    .select()
    .from(snippets)
    .where(scoped(tenant, snippets, eq(snippets.id, id)))
    .get();
  if (!row) throw notFound("snippet");
  return row;
}

export async function listSnippets(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(snippets)
    .where(scoped(tenant, snippets, after ? gt(snippets.id, String(after[0])) : undefined))
    .orderBy(asc(snippets.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

export async function updateSnippet(tenant: Tenant, id: string, input: { name?: string; html?: string }) {
  const current = await getSnippet(tenant, id);
  const name = input.name ?? current.name;
  if (name !== current.name) await assertFreeName(tenant, name, id);
  await assertSnippet(tenant, name, input.html ?? current.html, current.name);
  const [row] = await tenant.db
    .update(snippets)
    .set({ ...input, updatedAt: now() })
    .where(scoped(tenant, snippets, eq(snippets.id, id)))
    .returning();
  return row as SnippetRow;
}

export async function deleteSnippet(tenant: Tenant, id: string) {
  const res = await tenant.db
    .delete(snippets)
    .where(scoped(tenant, snippets, eq(snippets.id, id)))
    .returning({ id: snippets.id });
  if (!res.length) throw notFound("snippet");
}

/** The template (or content) with the organization's snippets when it renders any. */
export async function withSnippets<T extends { subject: string; html: string; text: string | null }>(
  tenant: Tenant,
  t: T,
): Promise<T & { snippets?: Record<string, string> }> {
  const found = await snippetsFor(tenant, t.subject, t.html, t.text);
  return found ? { ...t, snippets: found } : t;
}

/** Give every content of a send batch that renders snippets the organization's (one query at most). */
export async function attachSnippets(
  tenant: Tenant,
  contents: { subject: string; html: string; text: string | null; snippets?: Record<string, string> }[],
) {
  const users = contents.filter((c) => usesSnippets(c.subject, c.html, c.text));
  if (!users.length) return;
  const all = await allSnippets(tenant);
  for (const c of users) c.snippets = all;
}
