import type { App } from "../../app-env";
import { CONTACT_STATUSES, type ContactStatus } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { afterImport } from "../../services/contacts/changes";
import { importContacts } from "../../services/contacts/import";
import { listContacts } from "../../services/contacts/store";
import { Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { render, pageOf, formOf, type Ctx } from "./session";
import { contactView } from "../../services/contacts/view";
import { ImportForm, type ImportOutcome } from "../../ui/app/contacts/import-form";
import { uploadedCsv } from "./forms";

async function listPage(c: Ctx, outcome: ImportOutcome | null = null, error: string | null = null) {
  const p = await pageOf(c);
  const { t } = p;
  const search = (c.req.query("q") ?? "").slice(0, 200);
  const status = c.req.query("status") ?? "";
  const cursor = c.req.query("cursor");
  const result = await listContacts(c.get("tenant"), {
    limit: 50,
    cursor: cursor && /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? cursor : undefined,
    search: search || undefined,
    status: (CONTACT_STATUSES as readonly string[]).includes(status) ? (status as ContactStatus) : undefined,
  });
  const next = result.next_cursor
    ? `/app/contacts?${new URLSearchParams({ q: search, status, cursor: result.next_cursor })}`
    : null;
  return render(
    c,
    t.contacts.title,
    <>
      <form method="get" action="/app/contacts" class="row">
        <div>
          <label for="q">{t.contacts.searchLabel}</label>
          <input id="q" name="q" type="search" value={search} />
        </div>
        <div>
          <label for="status">{t.contacts.statusLabel}</label>
          <select id="status" name="status">
            <option value="">{t.common.all}</option>
            {CONTACT_STATUSES.map((s) => (
              <option value={s} selected={s === status}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t.common.search}</button>
      </form>
      <Table
        head={[t.common.email, t.common.name, t.common.status, t.common.score, t.common.created]}
        empty={t.common.empty}
        rows={result.items.map((r) => {
          const v = contactView(r);
          return [
            <a href={`/app/contacts/${encodeURIComponent(v.id)}`}>{v.email}</a>,
            [v.first_name, v.last_name].filter(Boolean).join(" "),
            v.status,
            String(v.score),
            formatDate(r.createdAt, p.lang, p.timeZone),
          ];
        })}
      />
      {next ? (
        <p>
          <a href={next}>{t.common.next}</a>
        </p>
      ) : null}
      <ImportForm outcome={outcome} error={error} />
    </>,
    error ? 422 : 200,
  );
}

/** GET /app/contacts (search, status, pages) and POST /app/contacts/import (a CSV file, or a chunk of one as text). */
export function registerContactList(app: App) {
  app.get("/app/contacts", (c) => listPage(c));
  app.post("/app/contacts/import", async (c) => {
    const upload = await uploadedCsv(await formOf(c));
    if ("error" in upload) return listPage(c, null, upload.error);
    const { csv } = upload;
    const tenant = c.get("tenant");
    let result: Awaited<ReturnType<typeof importContacts>>;
    try {
      result = await importContacts(tenant, csv);
    } catch (e) {
      if (e instanceof ApiError) return listPage(c, null, e.message);
      throw e;
    }
    const { createdIds, updatedIds, ...summary } = result;
    await afterImport(c.env, tenant, createdIds, updatedIds);
    const outcome = { created: createdIds.length, updated: updatedIds.length, rejected: summary.rejected };
    // The chunked upload of the page script asks for JSON, one part of the file at a time.
    if (c.req.header("Accept")?.includes("application/json")) return c.json(outcome);
    return listPage(c, outcome);
  });
}
