import type { CheckIssue } from "../../../services/templates/check";
import { CheckList } from "../templates/check-list";
import { Steps } from "./wizard";
import { Csrf, usePage } from "../layout";

interface Named {
  id: string;
  name: string;
}

/**
 * The wizard's last step: what will go out, the dry run (rendered by the caller), the template
 * check, and the one button that sends or schedules; disabled while the check finds an error.
 */
export function Review(props: {
  base: string;
  summary: { name: string; from: string; templates: Named[]; segments: Named[]; excluded: Named[] };
  /** The member's wall clock and zone, when scheduled; null sends now. */
  at: { value: string; label: string } | null;
  checks: { template: Named; issues: CheckIssue[] }[];
  children?: unknown;
}) {
  const { t } = usePage();
  const w = t.builders.wizard;
  const links = (xs: Named[], base: string) =>
    xs.length
      ? xs.map((x, i) => (
          <>
            {i ? ", " : ""}
            <a href={`${base}/${encodeURIComponent(x.id)}`}>{x.name}</a>
          </>
        ))
      : t.builders.none;
  const errors = props.checks.some((c) => c.issues.some((i) => i.severity === "error"));
  const s = props.summary;
  return (
    <>
      <Steps at={3} />
      <section class="card">
        <h2>{w.summary}</h2>
        <dl class="summary">
          <dt>{t.common.name}</dt>
          <dd>{s.name}</dd>
          <dt>{t.form.fromEmail}</dt>
          <dd>{s.from}</dd>
          <dt>{t.scenarios.template}</dt>
          <dd>{links(s.templates, "/app/templates")}</dd>
          <dt>{t.nav.segments}</dt>
          <dd>{links(s.segments, "/app/segments")}</dd>
          <dt>{w.exclude}</dt>
          <dd>{links(s.excluded, "/app/segments")}</dd>
          <dt>{w.when}</dt>
          <dd>{props.at ? props.at.label : w.nowShort}</dd>
        </dl>
      </section>
      {props.children}
      <section class="card" id="checks">
        <h2>{w.checks}</h2>
        {props.checks.map((c) => (
          <CheckList name={c.template.name} issues={c.issues} />
        ))}
      </section>
      {errors ? <p class="notice error">{w.blocked}</p> : null}
      <form method="post" action={`${props.base}/${props.at ? "schedule" : "send"}`} class="row">
        <Csrf />
        {props.at ? <input type="hidden" name="send_at" value={props.at.value} /> : null}
        <button type="submit" disabled={errors}>
          {props.at ? `${w.scheduleAt} ${props.at.label}` : w.sendNow}
        </button>
        <a class="button secondary" href={props.base}>
          {w.openCampaign}
        </a>
      </form>
    </>
  );
}
