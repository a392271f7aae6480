import { and, asc, desc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import { contacts, users } from "../../db/schema";
import { iso } from "../../lib/clock";
import { scoped, type Tenant } from "../../lib/tenant";
import { csvStream } from "../../lib/csv";
import { allInboxRows } from "./query";

export { csvCell, csvLine } from "../../lib/csv";

export const INBOX_CSV_COLUMNS = [
  "id",
  "type",
  "status",
  "title",
  "body",
  "contact_id",
  "contact_email",
  "contact_name",
  "assignee_id",
  "assignee_name",
  "assignee_email",
  "next_action_at",
  "notified_at",
  "created_at",
  "updated_at",
];

const fullName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(" ") || null;

/** The inbox (already filtered by `where`) as CSV, in inbox order. */
export function inboxCsv(tenant: Tenant, where: SQL): ReadableStream<Uint8Array> {
  return csvStream(INBOX_CSV_COLUMNS, async function* () {
    // Team members are few: one read gives every assignee's name and email.
    const team = await tenant.db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(scoped(tenant, users))
      .all();
    const byId = new Map(team.map((u) => [u.id, u]));
    for await (const { row, contact } of allInboxRows(tenant, where)) {
      const assignee = row.assigneeId ? byId.get(row.assigneeId) : undefined;
      yield [
        row.id,
        row.type,
        row.status,
        row.title,
        row.body,
        row.contactId,
        contact?.email,
        contact ? fullName(contact.first_name, contact.last_name) : null,
        row.assigneeId,
        assignee?.name,
        assignee?.email,
        iso(row.nextActionAt),
        iso(row.notifiedAt),
        iso(row.createdAt),
        iso(row.updatedAt),
      ];
    }
  });
}

export const HOT_LEADS_CSV_COLUMNS = [
  "contact_id",
  "email",
  "first_name",
  "last_name",
  "score",
  "status",
  "last_event_at",
];

interface LeadKey {
  score: number;
  id: string;
}

/** One page of hot leads after `after`, score descending then id. */
function hotLeadsPage(tenant: Tenant, threshold: number, after: LeadKey | null, pageSize: number) {
  return tenant.db
    .select({
      id: contacts.id,
      email: contacts.email,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      score: contacts.score,
      status: contacts.status,
      lastEventAt: contacts.lastEventAt,
    })
    .from(contacts)
    .where(
      scoped(
        tenant,
        contacts,
        gte(contacts.score, threshold),
        after
          ? or(
              lt(contacts.score, after.score),
              and(eq(contacts.score, after.score), gt(contacts.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(contacts.score), asc(contacts.id))
    .limit(pageSize)
    .all();
}

/** Contacts whose score is at least `threshold`, best first, as CSV (keyset pages on (score, id)). */
export function hotLeadsCsv(tenant: Tenant, threshold: number, pageSize = 500): ReadableStream<Uint8Array> {
  return csvStream(HOT_LEADS_CSV_COLUMNS, async function* () {
    let after: LeadKey | null = null;
    for (;;) {
      const rows = await hotLeadsPage(tenant, threshold, after, pageSize);
      for (const r of rows)
        yield [r.id, r.email, r.firstName, r.lastName, r.score, r.status, iso(r.lastEventAt)];
      const last = rows[rows.length - 1];
      if (rows.length < pageSize || !last) return;
      after = { score: last.score, id: last.id };
    }
  });
}
