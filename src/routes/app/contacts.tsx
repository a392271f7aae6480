import type { App } from "../../app-env";
import { CONTACT_STATUSES, type ContactStatus } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { afterImport } from "../../services/contacts/changes";
import { importContacts } from "../../services/contacts/import";
import { listContacts } from "../../services/contacts/store";
import { Notice, Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { AppLayout, Csrf, type Page } from "../../ui/app/layout";
import { html, pageOf, formOf, type Ctx } from "./session";
import type { ImportRejection } from "../../services/contacts/import";
import { contactView } from "../../services/contacts/view";

const MAX_CSV_BYTES = 10 * 1024 * 1024;

interface ImportOutcome {
  created: number;
  updated: number;
  rejected: ImportRejection[];
}

function ImportForm(props: { p: Page; outcome?: ImportOutcome | null; error?: string | null }) {
  const { t } = props.p;
  const o = props.outcome;
  return (
    <section class="card">
      <h2>{t.contacts.import}</h2>
      <form
        method="post"
        action="/app/contacts/import"
        enctype="multipart/form-data"
        data-import
        data-labels={JSON.stringify({
          imported: t.contacts.imported,
          rejected: t.contacts.rejected,
          line: t.contacts.line,
          email: t.common.email,
          reason: t.contacts.reason,
        })}
      >
        <Csrf p={props.p} />
        <label for="file">CSV</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-describedby="import-help"
        />
        <p id="import-help" class="muted">
          {t.contacts.importHelp}
        </p>
        <p>
          <button type="submit">{t.contacts.importButton}</button>
        </p>
        <progress id="import-progress" max="100" value={o ? "100" : "0"} aria-label={t.contacts.import} />
      </form>
      <div id="import-live" aria-live="polite" />
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {o ? (
        <div id="import-result">
          <Notice kind="ok">{`${t.contacts.imported}: ${o.created} + ${o.updated}`}</Notice>
          {o.rejected.length ? (
            <Table
              caption={t.contacts.rejected}
              head={[t.contacts.line, t.common.email, t.contacts.reason]}
              empty=""
              rows={o.rejected.map((r) => [String(r.line), r.email ?? "", r.reason])}
            />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

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
  return html(
    c,
    <AppLayout p={p} title={t.contacts.title}>
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
      <ImportForm p={p} outcome={outcome} error={error} />
    </AppLayout>,
    error ? 422 : 200,
  );
}

/** GET /app/contacts (search, status, pages) and POST /app/contacts/import (a CSV file, or a chunk of one as text). */
export function registerContactList(app: App) {
  app.get("/app/contacts", (c) => listPage(c));
  app.post("/app/contacts/import", async (c) => {
    const form = await formOf(c);
    const file = form.file;
    const chunk = typeof form.csv === "string" ? form.csv : null;
    let csv: string | null = chunk;
    if (file instanceof File) {
      if (file.size > MAX_CSV_BYTES) return listPage(c, null, "The file is over 10 MB: split it.");
      csv = await file.text();
    }
    if (csv === null || !csv.trim()) return listPage(c, null, "Choose a CSV file.");
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
