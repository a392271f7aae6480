import { and, count, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import { contacts, scoreHistory } from "../../db/schema";
import { iso } from "../../lib/clock";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { getContact } from "../contacts/store";

/**
 * Contacts at or above the threshold, score descending, then most recently active. `by: fit_score`
 * ranks by the composite fit score (RFM, engagement, purchases) instead of the engagement score.
 */
export async function hotLeads(
  tenant: Tenant,
  q: { threshold: number; limit: number; by?: "score" | "fit_score" },
) {
  const column = q.by === "fit_score" ? contacts.fitScore : contacts.score;
  const where = scoped(tenant, contacts, gte(column, q.threshold));
  const [rows, total] = await tenant.db.batch([
    tenant.db
      .select({
        id: contacts.id,
        email: contacts.email,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        score: contacts.score,
        fitScore: contacts.fitScore,
        lastEventAt: contacts.lastEventAt,
      })
      .from(contacts)
      .where(where)
      .orderBy(desc(column), sql`${contacts.lastEventAt} desc nulls last`, contacts.id)
      .limit(q.limit),
    tenant.db.select({ n: count() }).from(contacts).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      contact_id: r.id,
      email: r.email,
      name: [r.firstName, r.lastName].filter(Boolean).join(" ") || null,
      score: r.score,
      fit_score: r.fitScore,
      last_event_at: iso(r.lastEventAt),
    })),
    threshold: q.threshold,
    total: total[0]?.n ?? 0,
  };
}

/** A contact's score changes, newest first (404 when the contact is not in this organization). */
export async function scoreHistoryOf(
  tenant: Tenant,
  contactId: string,
  q: { limit: number; cursor?: string },
) {
  await getContact(tenant, contactId);
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(scoreHistory)
    .where(
      scoped(
        tenant,
        scoreHistory,
        eq(scoreHistory.contactId, contactId),
        after
          ? or(
              lt(scoreHistory.createdAt, Number(after[0])),
              and(eq(scoreHistory.createdAt, Number(after[0])), lt(scoreHistory.id, String(after[1]))),
            )
          : undefined,
      ),
    )
    .orderBy(desc(scoreHistory.createdAt), desc(scoreHistory.id))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.createdAt, r.id]);
  return {
    items: items.map((r) => ({
      id: r.id,
      delta: r.delta,
      score_after: r.scoreAfter,
      cause: r.cause,
      event_id: r.eventId,
      created_at: iso(r.createdAt) as string,
    })),
    next_cursor,
  };
}
