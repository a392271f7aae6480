import type { ImportRejection } from "../../../services/contacts/import";
import { Notice, Table } from "../components";
import { Csrf, usePage } from "../layout";

export interface ImportOutcome {
  created: number;
  updated: number;
  rejected: ImportRejection[];
}

/** The words of an import form other than the contact import (the suppression list's). */
export interface ImportWords {
  action: string;
  title: string;
  help: string;
  /** The outcome's label: created + updated, or added + already there. */
  imported: string;
}

export function ImportForm(props: {
  outcome?: ImportOutcome | null;
  error?: string | null;
  words?: ImportWords;
}) {
  const { t } = usePage();
  const o = props.outcome;
  const w = props.words ?? {
    action: "/app/contacts/import",
    title: t.contacts.import,
    help: t.contacts.importHelp,
    imported: t.contacts.imported,
  };
  return (
    <section class="card">
      <h2>{w.title}</h2>
      <form
        method="post"
        action={w.action}
        enctype="multipart/form-data"
        data-import
        data-labels={JSON.stringify({
          imported: w.imported,
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
          {w.help}
        </p>
        <p>
          <button type="submit">{t.contacts.importButton}</button>
        </p>
        <progress id="import-progress" max="100" value={o ? "100" : "0"} aria-label={w.title} />
      </form>
      <div id="import-live" aria-live="polite" />
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      {o ? (
        <div id="import-result">
          <Notice kind="ok">{`${w.imported}: ${o.created} + ${o.updated}`}</Notice>
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
