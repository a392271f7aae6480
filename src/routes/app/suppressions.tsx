import type { App } from "../../app-env";
import {
  addSuppressions,
  importSuppressions,
  listSuppressions,
  MAX_ADD,
  removeSuppression,
  SUPPRESSION_REASONS,
} from "../../services/suppressions/manage";
import type { SuppressionReason } from "../../services/suppressions/store";
import { Notice, Table } from "../../ui/app/components";
import { ImportForm, type ImportOutcome } from "../../ui/app/contacts/import-form";
import { formatDate } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { suppressionsCsv } from "../suppressions/export";
import { runForm, uploadedCsv } from "./forms";
import { type Ctx, field, formOf, pageOf, render } from "./session";

const BASE = "/app/settings/suppressions";

interface Flash {
  ok?: string;
  error?: string;
  outcome?: ImportOutcome;
}

/** The list's filters from the query string: a known reason, a search of at most 200 characters. */
function filtersOf(c: Ctx) {
  const reason = c.req.query("reason") ?? "";
  return {
    q: (c.req.query("q") ?? "").trim().slice(0, 200),
    reason: (SUPPRESSION_REASONS as readonly string[]).includes(reason)
      ? (reason as SuppressionReason)
      : undefined,
  };
}

/** The source column of what the page adds or removes ("import" for a CSV, as through the API). */
const UI_SOURCE = "ui";

async function suppressionsPage(c: Ctx, flash: Flash = {}) {
  const p = await pageOf(c);
  const t = p.t.deliverability;
  const f = filtersOf(c);
  const cursor = c.req.query("cursor");
  const list = await listSuppressions(c.get("tenant"), {
    limit: 50,
    cursor: cursor && /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? cursor : undefined,
    q: f.q || undefined,
    reason: f.reason,
  });
  const query = { q: f.q, reason: f.reason ?? "" };
  return render(
    c,
    t.suppressionsTitle,
    <>
      <p class="muted">{t.suppressionsIntro}</p>
      {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
      {flash.error ? <Notice kind="error">{flash.error}</Notice> : null}
      <div class="grid">
        <section class="card">
          <h2>{t.addTitle}</h2>
          <form method="post" action={BASE}>
            <Csrf />
            <label for="emails">{p.t.common.email}</label>
            <textarea id="emails" name="emails" rows={4} required aria-describedby="add-help" />
            <p id="add-help" class="muted">
              {t.addHelp}
            </p>
            <p>
              <button type="submit">{t.addButton}</button>
            </p>
          </form>
        </section>
        <ImportForm
          outcome={flash.outcome ?? null}
          words={{
            action: `${BASE}/import`,
            title: t.importTitle,
            help: t.importHelp,
            imported: t.importedLabel,
          }}
        />
      </div>
      <form method="get" action={BASE} class="row">
        <div>
          <label for="q">{t.search}</label>
          <input id="q" name="q" type="search" value={f.q} />
        </div>
        <div>
          <label for="reason">{t.reason}</label>
          <select id="reason" name="reason">
            <option value="">{t.anyReason}</option>
            {SUPPRESSION_REASONS.map((r) => (
              <option value={r} selected={r === f.reason}>
                {t.reasons[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t.filter}</button>
        <a class="button secondary" href={`${BASE}/export?${new URLSearchParams(query)}`} download>
          {t.exportCsv}
        </a>
      </form>
      <Table
        head={[p.t.common.email, t.reason, t.source, t.added, ""]}
        empty={p.t.common.empty}
        rows={list.items.map((s) => [
          s.email ?? <code title={t.reasons.erased}>{s.email_hash}</code>,
          t.reasons[s.reason as SuppressionReason] ?? s.reason,
          s.source ?? "",
          formatDate(Date.parse(s.created_at), p.lang, p.timeZone),
          s.email ? (
            <form method="post" action={`${BASE}/remove`} data-confirm={t.removeConfirm}>
              <Csrf />
              <input type="hidden" name="email" value={s.email} />
              <button type="submit" class="danger small" aria-label={`${t.remove} ${s.email}`}>
                {t.remove}
              </button>
            </form>
          ) : (
            ""
          ),
        ])}
      />
      {list.next_cursor ? (
        <p>
          <a href={`${BASE}?${new URLSearchParams({ ...query, cursor: list.next_cursor })}`}>{t.next}</a>
        </p>
      ) : null}
    </>,
    flash.error ? 422 : 200,
  );
}

/**
 * Settings > Suppression list: search and filter, add by hand, import a CSV (in parts, with a
 * progress bar, like the contact import), remove (recorded as an event), export as CSV.
 */
export function registerSuppressionPages(app: App) {
  app.get(BASE, (c) => suppressionsPage(c));
  app.post(BASE, async (c) => {
    const t = (await pageOf(c)).t.deliverability;
    const emails = field(await formOf(c), "emails")
      .split(/[\s,;]+/)
      .filter(Boolean);
    if (!emails.length) return suppressionsPage(c, { error: t.addHelp });
    if (emails.length > MAX_ADD) return suppressionsPage(c, { error: t.addHelp });
    const r = await addSuppressions(
      c.get("tenant"),
      emails.map((email) => ({ email })),
      UI_SOURCE,
    );
    const ok = t.addedOutcome
      .replace("{added}", String(r.added))
      .replace("{existing}", String(r.existing))
      .replace("{rejected}", String(r.rejected.length));
    return suppressionsPage(c, {
      ok,
      ...(r.rejected.length ? { error: r.rejected.map((x) => `${x.email}: ${x.reason}`).join("; ") } : {}),
    });
  });
  app.post(`${BASE}/import`, async (c) => {
    const upload = await uploadedCsv(await formOf(c));
    if ("error" in upload) return suppressionsPage(c, { error: upload.error });
    const r = await importSuppressions(c.get("tenant"), upload.csv);
    const outcome = {
      created: r.added,
      updated: r.existing,
      rejected: r.rejected.map((x) => ({ line: x.line ?? 0, email: x.email, reason: x.reason })),
    };
    // The page script sends the file a part at a time and asks for JSON (as the contact import).
    if (c.req.header("Accept")?.includes("application/json")) return c.json(outcome);
    return suppressionsPage(c, { outcome });
  });
  app.post(`${BASE}/remove`, async (c) => {
    const email = field(await formOf(c), "email");
    const t = (await pageOf(c)).t.deliverability;
    return runForm(
      async () => {
        await removeSuppression(c.get("tenant"), email, UI_SOURCE);
        return suppressionsPage(c, { ok: t.removed });
      },
      (errors) => suppressionsPage(c, { error: errors.map((e) => e.message).join("; ") }),
    );
  });
  app.get(`${BASE}/export`, (c) => {
    const f = filtersOf(c);
    return suppressionsCsv(c, c.get("tenant"), { q: f.q || undefined, reason: f.reason });
  });
}
