import type { ImportRejection } from "../../../services/contacts/import";
import { Notice, Table } from "../components";
import { Csrf, usePage } from "../layout";

export interface ImportOutcome {
  created: number;
  updated: number;
  rejected: ImportRejection[];
}

export function ImportForm(props: { outcome?: ImportOutcome | null; error?: string | null }) {
  const { t } = usePage();
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
        <Csrf />
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
