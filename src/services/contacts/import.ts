import Papa from "papaparse";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import type { Tenant } from "../../lib/tenant";
import { firstIssue } from "../../contracts/contact";
import { normalizeEmail } from "../../lib/validation";
import { bulkConsent } from "../consent/store";
import { emailHash } from "../suppressions/store";
import { ContactInput } from "../../contracts/contact";
import { tenantSql } from "../../lib/tenant-sql";

const KNOWN = new Set([
  "email",
  "first_name",
  "last_name",
  "phone",
  "timezone",
  "locale",
  "tags",
  "consent_email_marketing",
]);
/** Rows per INSERT: each statement carries its rows as one JSON parameter (D1 allows 100 bound parameters). */
const CHUNK = 500;

export interface ImportRejection {
  line: number;
  email: string;
  reason: string;
}

interface ImportRow {
  line: number;
  id: string;
  email: string;
  email_normalized: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  tags: string | null;
  attributes: string;
  suppressed: boolean;
  /** consent_email_marketing column: recorded with the import as source. */
  consent: string | null;
}

interface ParsedCsv {
  header: string[];
  rows: { line: number; cells: string[] }[];
  errors: string[];
}

/** Parse with papaparse, keeping each record's first line number (quoted fields may span lines). */
export function parseCsv(input: string): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const out: ParsedCsv = { header: [], rows: [], errors: [] };
  let consumed = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: ",",
    skipEmptyLines: false,
    step: (result) => {
      const start = line;
      const end = result.meta.cursor;
      for (let i = consumed; i < end; i++) if (text.charCodeAt(i) === 10) line++;
      consumed = end;
      const cells = result.data;
      if (cells.every((c) => c.trim() === "")) return;
      if (out.header.length === 0) out.header = cells.map((h) => h.trim().toLowerCase());
      else out.rows.push({ line: start, cells });
      for (const e of result.errors) out.errors.push(`line ${start}: ${e.message}`);
    },
  });
  return out;
}

const cell = (v: string | undefined) => {
  const t = (v ?? "").trim();
  return t === "" ? null : t;
};

/**
 * Import contacts from CSV. Good rows are upserted by (organization, lower(email)): a re-import
 * updates and never duplicates. Bad rows come back with their line and reason.
 */
export async function importContacts(tenant: Tenant, csv: string) {
  const parsed = parseCsv(csv);
  const rejected: ImportRejection[] = [];
  const emailCol = parsed.header.indexOf("email");
  if (emailCol < 0) {
    return {
      created: 0,
      updated: 0,
      rejected: [{ line: 1, email: "", reason: "the header row has no email column" }],
      createdIds: [] as string[],
      updatedIds: [] as string[],
    };
  }
  const seen = new Set<string>();
  const rows: ImportRow[] = [];
  const at = now();
  const col = (name: string) => parsed.header.indexOf(name);
  const extra = parsed.header.map((h, i) => ({ h, i })).filter(({ h }) => h !== "" && !KNOWN.has(h));
  for (const { line, cells } of parsed.rows) {
    const email = (cells[emailCol] ?? "").trim();
    const tagsCell = col("tags") >= 0 ? cell(cells[col("tags")]) : null;
    const attributes: Record<string, string> = {};
    for (const { h, i } of extra) {
      const v = cell(cells[i]);
      if (v !== null) attributes[h] = v;
    }
    // The same schema as POST /api/v1/contacts decides.
    const input = ContactInput.safeParse({
      email,
      first_name: cell(cells[col("first_name")]),
      last_name: cell(cells[col("last_name")]),
      phone: cell(cells[col("phone")]),
      timezone: cell(cells[col("timezone")]),
      locale: cell(cells[col("locale")]),
      tags: tagsCell
        ? [
            ...new Set(
              tagsCell
                .split(";")
                .map((t) => t.trim())
                .filter(Boolean),
            ),
          ]
        : undefined,
      attributes,
    });
    if (!input.success) {
      const field = input.error.issues[0]?.path[0];
      const reason =
        field === "email"
          ? "invalid email"
          : field === "timezone"
            ? `bad timezone: ${cell(cells[col("timezone")])}`
            : firstIssue(input.error);
      rejected.push({ line, email, reason });
      continue;
    }
    const contact = input.data;
    const normalized = normalizeEmail(contact.email);
    if (seen.has(normalized)) {
      rejected.push({ line, email, reason: "duplicate email in file" });
      continue;
    }
    const consent = cell(cells[col("consent_email_marketing")])?.toLowerCase() ?? null;
    if (consent !== null && consent !== "granted" && consent !== "revoked") {
      rejected.push({ line, email, reason: "consent_email_marketing must be granted or revoked" });
      continue;
    }
    seen.add(normalized);
    rows.push({
      line,
      id: newId("ct", at),
      email: contact.email,
      email_normalized: normalized,
      first_name: contact.first_name ?? null,
      last_name: contact.last_name ?? null,
      phone: contact.phone ?? null,
      timezone: contact.timezone ?? null,
      locale: contact.locale ?? null,
      tags: contact.tags ? JSON.stringify(contact.tags) : null,
      attributes: JSON.stringify(contact.attributes ?? {}),
      suppressed: false,
      consent,
    });
  }
  const { createdIds, updatedIds, idOf } = await upsertRows(tenant, rows, at, rejected);
  const consents = rows.flatMap((r) => {
    const contactId = idOf.get(r.email_normalized);
    return r.consent && contactId
      ? [{ contactId, email: r.email, state: r.consent as "granted" | "revoked" }]
      : [];
  });
  if (consents.length) await bulkConsent(tenant, consents, "email_marketing", "import");
  return { created: createdIds.length, updated: updatedIds.length, rejected, createdIds, updatedIds };
}

async function upsertRows(tenant: Tenant, rows: ImportRow[], at: number, rejected: ImportRejection[]) {
  const createdIds: string[] = [];
  const updatedIds: string[] = [];
  const idOf = new Map<string, string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await markSuppressed(tenant, chunk);
    const fresh = new Set(chunk.map((r) => r.id));
    let stored: { id: string; email_normalized: string }[];
    try {
      stored = await upsertChunk(tenant, chunk, at);
    } catch (err) {
      // One row the database refuses must not cost the others: retry them one by one.
      console.warn("contact import chunk failed, retrying row by row", err);
      stored = [];
      for (const row of chunk) {
        try {
          stored.push(...(await upsertChunk(tenant, [row], at)));
        } catch (rowErr) {
          const message = rowErr instanceof Error ? rowErr.message : String(rowErr);
          rejected.push({ line: row.line, email: row.email, reason: `could not be stored: ${message}` });
        }
      }
    }
    for (const { id, email_normalized } of stored) {
      (fresh.has(id) ? createdIds : updatedIds).push(id);
      idOf.set(email_normalized, id);
    }
  }
  rejected.sort((a, b) => a.line - b.line);
  return { createdIds, updatedIds, idOf };
}

/** One INSERT ... ON CONFLICT for a chunk; RETURNING answers the new id on insert, the existing one on update. */
async function upsertChunk(tenant: Tenant, chunk: ImportRow[], at: number) {
  const res = await tenantSql(
    tenant,
    `INSERT INTO contacts (id, organization_id, email, email_normalized, first_name, last_name, phone, timezone,
             locale, tags, attributes, status, score, created_at, updated_at)
           SELECT j.value ->> 'id', ?1, j.value ->> 'email', j.value ->> 'email_normalized', j.value ->> 'first_name',
             j.value ->> 'last_name', j.value ->> 'phone', j.value ->> 'timezone', j.value ->> 'locale', coalesce(j.value ->> 'tags', '[]'),
             j.value ->> 'attributes', CASE WHEN j.value ->> 'suppressed' THEN 'unsubscribed' ELSE 'subscribed' END, 0, ?3, ?3
           FROM json_each(?2) AS j WHERE true
           ON CONFLICT (organization_id, email_normalized) DO UPDATE SET
             email = excluded.email,
             first_name = coalesce(excluded.first_name, contacts.first_name),
             last_name = coalesce(excluded.last_name, contacts.last_name),
             phone = coalesce(excluded.phone, contacts.phone),
             timezone = coalesce(excluded.timezone, contacts.timezone),
             locale = coalesce(excluded.locale, contacts.locale),
             tags = CASE WHEN excluded.tags = '[]' THEN contacts.tags ELSE excluded.tags END,
             attributes = json_patch(contacts.attributes, excluded.attributes),
             updated_at = excluded.updated_at
           RETURNING id, email_normalized`,
    JSON.stringify(chunk),
    at,
  ).all<{ id: string; email_normalized: string }>();
  return res.results;
}

/** New contacts whose address is suppressed are imported as unsubscribed, never as subscribed. */
async function markSuppressed(tenant: Tenant, chunk: ImportRow[]) {
  const hashes = await Promise.all(chunk.map((r) => emailHash(r.email_normalized)));
  const found = await tenantSql(
    tenant,
    "SELECT email_hash FROM suppressions WHERE organization_id = ?1 AND email_hash IN (SELECT value FROM json_each(?2))",
    JSON.stringify(hashes),
  ).all<{ email_hash: string }>();
  const set = new Set(found.results.map((r) => r.email_hash));
  chunk.forEach((r, i) => {
    r.suppressed = set.has(hashes[i] as string);
  });
}
