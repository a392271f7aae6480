import type { dryRun } from "../../../services/campaigns/dry-run";
import { Notice, Table } from "../components";
import { usePage } from "../layout";

export function Report(props: { r: Awaited<ReturnType<typeof dryRun>> }) {
  const { t } = usePage();
  const r = props.r;
  return (
    <section class="card" id="dry-run">
      <h2>{t.campaigns.dryRun}</h2>
      <p>
        {t.campaigns.audience}: <span class="figure">{r.audience}</span> · {t.form.wouldSend}:{" "}
        <strong>{r.would_send}</strong>
      </p>
      <Table
        head={[t.form.excluded, "n"]}
        empty=""
        rows={Object.entries(r.excluded)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => [k, String(n)])}
      />
      {r.errors.length ? (
        <Notice kind="error">{r.errors.map((e) => `${e.contact_id}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <p class="muted">{r.sample.map((s) => `${s.email}: ${s.subject}`).join(" · ")}</p>
    </section>
  );
}
