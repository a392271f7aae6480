/**
 * The suppression list as the API and the settings page see it: listed with reasons and sources
 * (an erased address as its hash only), searched, added by hand or by CSV (rejected lines named),
 * removed (the removal recorded as an event), exported. Every send path reads the same rows
 * (services/sending/load.ts, the scenario claim).
 */
import { and, desc, eq, like, lt, or, type SQL } from "drizzle-orm";
import { events, suppressions } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import type { Cell } from "../../lib/csv";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { isValidEmail, normalizeEmail } from "../../lib/validation";
import { parseCsv } from "../contacts/import";
import { emailHash, type SuppressionReason, suppressionStatement } from "./store";

export const SUPPRESSION_REASONS = ["hard_bounce", "complaint", "unsubscribed", "manual", "erased"] as const;
/** At most this many addresses per POST /suppressions; a CSV takes up to 10 MB. */
export const MAX_ADD = 1000;

type Row = typeof suppressions.$inferSelect;

export const suppressionView = (r: Row) => ({
  email: r.email ?? null,
  /** An erased address (or one suppressed before addresses were kept) shows as its hash only. */
  email_hash: r.email ? null : r.emailHash,
  reason: r.reason,
  source: r.source ?? null,
  created_at: iso(r.createdAt) as string,
});

/** The filters of a list or an export: a reason, and `q` (part of the address, or a whole one). */
async function filters(tenant: Tenant, q: { reason?: SuppressionReason; q?: string }) {
  const text = q.q?.trim().toLowerCase();
  const search: SQL | undefined = text
    ? isValidEmail(text)
      ? or(eq(suppressions.emailHash, await emailHash(text)), eq(suppressions.email, text))
      : like(suppressions.email, `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    : undefined;
  return scoped(tenant, suppressions, q.reason ? eq(suppressions.reason, q.reason) : undefined, search);
}

/** Newest first, keyset-paged on (created_at, id). */
export async function listSuppressions(
  tenant: Tenant,
  q: { limit: number; cursor?: string; reason?: SuppressionReason; q?: string },
) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(suppressions)
    .where(
      and(
        await filters(tenant, q),
        after
          ? or(
              lt(suppressions.createdAt, Number(after[0])),
              and(eq(suppressions.createdAt, Number(after[0])), lt(suppressions.id, String(after[1]))),
            )
          : undefined,
      ),
    )
    .orderBy(desc(suppressions.createdAt), desc(suppressions.id))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.createdAt, r.id]);
  return { items: items.map(suppressionView), next_cursor };
}

export interface Rejected {
  line?: number;
  email: string;
  reason: string;
}

/**
 * Suppress these addresses (reason manual): idempotent, an address already on the list keeps its
 * first reason. Answers how many were added, how many were there already, and the rejected ones.
 */
export async function addSuppressions(
  tenant: Tenant,
  list: { email: string; line?: number }[],
  source: string,
): Promise<{ added: number; existing: number; rejected: Rejected[] }> {
  const rejected: Rejected[] = [];
  const seen = new Set<string>();
  const valid: string[] = [];
  for (const { email, line } of list) {
    const e = normalizeEmail(email);
    if (!isValidEmail(e)) rejected.push({ line, email, reason: "invalid email" });
    else if (seen.has(e)) rejected.push({ line, email, reason: "duplicate email in file" });
    else {
      seen.add(e);
      valid.push(e);
    }
  }
  let added = 0;
  const at = now();
  for (let i = 0; i < valid.length; i += 50) {
    const part = valid.slice(i, i + 50);
    // Hashes first: a drizzle query is a thenable, so an async function returning one would run it.
    const hashes = await Promise.all(part.map((email) => emailHash(email)));
    const statements = part.map((email, j) =>
      suppressionStatement(tenant, hashes[j] as string, "manual", at, { email, source }).returning({
        id: suppressions.id,
      }),
    );
    const results = await tenant.db.batch(statements as [(typeof statements)[0], ...typeof statements]);
    added += results.reduce((n, r) => n + r.length, 0);
  }
  return { added, existing: valid.length - added, rejected };
}

/** POST /suppressions/import: a CSV with an `email` column (other columns are ignored). */
export async function importSuppressions(tenant: Tenant, csv: string, source = "import") {
  const parsed = parseCsv(csv);
  const col = parsed.header.indexOf("email");
  if (col < 0)
    return {
      added: 0,
      existing: 0,
      rejected: [{ line: 1, email: "", reason: "the header row has no email column" }],
    };
  return addSuppressions(
    tenant,
    parsed.rows.map((r) => ({ email: (r.cells[col] ?? "").trim(), line: r.line })),
    source,
  );
}

/**
 * Take an address off the list (404 when it is not on it). The removal is recorded as an event of
 * the address (type suppression_removed), visible in the event log.
 */
export async function removeSuppression(tenant: Tenant, email: string, source: string) {
  const hash = await emailHash(email);
  const [row] = await tenant.db
    .delete(suppressions)
    .where(scoped(tenant, suppressions, eq(suppressions.emailHash, hash)))
    .returning();
  if (!row) throw notFound("suppression");
  const at = now();
  await tenant.db.insert(events).values({
    id: newId("ev", at),
    organizationId: tenant.orgId,
    source,
    dedupKey: `suppression_removed:${hash}:${at}`,
    type: "suppression_removed",
    occurredAt: at,
    raw: JSON.stringify({ email: normalizeEmail(email), reason: row.reason, source: row.source }),
    processedAt: at,
    createdAt: at,
  });
  return suppressionView(row);
}

/** Every row matching the filters, for the CSV export (newest first, a page at a time). */
export async function* suppressionLines(
  tenant: Tenant,
  q: { reason?: SuppressionReason; q?: string },
): AsyncGenerator<Cell[]> {
  let cursor: string | undefined;
  for (;;) {
    const res = await listSuppressions(tenant, { ...q, limit: 500, cursor });
    for (const r of res.items) yield [r.email ?? r.email_hash, r.reason, r.source, r.created_at];
    if (!res.next_cursor) return;
    cursor = res.next_cursor;
  }
}
