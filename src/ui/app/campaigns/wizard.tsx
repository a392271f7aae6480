import type { ErrorDetail } from "../../../lib/errors";
import { Notice } from "../components";
import { Csrf, usePage } from "../layout";

/** What the wizard carries from step to step (hidden fields on the steps that do not show them). */
export interface WizardDraft {
  name: string;
  template_id: string;
  from_email: string;
  from_name: string;
  segment_ids: string[];
  exclude_segment_ids: string[];
  when: "now" | "later";
  /** The member's wall clock (datetime-local), in the zone the page names. */
  send_at: string;
}

export const WIZARD_STEPS = 3;
/** The fields each step owns: its errors show there, and later steps carry them hidden. */
export const STEP_FIELDS: string[][] = [
  ["name", "template_id", "from_email", "from_name"],
  ["segment_ids", "exclude_segment_ids"],
  ["when", "send_at"],
];

interface Named {
  id: string;
  name: string;
}

const Hidden = (props: { d: WizardDraft; except: string[] }) => (
  <>
    {(Object.entries(props.d) as [string, string | string[]][])
      .filter(([k]) => !props.except.includes(k))
      .flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((x) => <input type="hidden" name={k} value={x} />),
      )}
  </>
);

/** Which step of how many, as an ordered list with the current one marked (the review is the last). */
export function Steps(props: { at: number }) {
  const { t } = usePage();
  const w = t.builders.wizard;
  return (
    <ol class="steps" aria-label={`${w.step} ${props.at + 1} ${w.of} ${w.steps.length}`}>
      {w.steps.map((s, i) => (
        <li aria-current={i === props.at ? "step" : undefined} class={i < props.at ? "done" : ""}>
          {s}
        </li>
      ))}
    </ol>
  );
}

function SegmentChoice(props: {
  name: "segment_ids" | "exclude_segment_ids";
  legend: string;
  segments: (Named & { size: number })[];
  chosen: string[];
}) {
  return (
    <fieldset class="choices">
      <legend>{props.legend}</legend>
      {props.segments.map((s) => (
        <label>
          <input type="checkbox" name={props.name} value={s.id} checked={props.chosen.includes(s.id)} />{" "}
          {`${s.name} (${s.size})`}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The new-campaign wizard: content, audience with its live count, schedule in the member's zone;
 * the next step (review, with the dry run and the template check) comes once the draft is saved.
 */
export function Wizard(props: {
  step: number;
  d: WizardDraft;
  errors: ErrorDetail[];
  templates: Named[];
  segments: (Named & { size: number })[];
  estimate: { count: number; sample: string[] } | null;
  zone: string;
}) {
  const { t } = usePage();
  const w = t.builders.wizard;
  const { d, step } = props;
  const own = STEP_FIELDS[step] ?? [];
  const mine = props.errors.filter((e) => own.some((f) => e.field === f || e.field?.startsWith(`${f}.`)));
  const others = props.errors.filter((e) => !mine.includes(e));
  return (
    <>
      <Steps at={step} />
      {props.errors.length ? (
        <Notice kind="error">
          {[...mine, ...others].map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}
        </Notice>
      ) : null}
      <form method="post" action="/app/campaigns/new" data-live-count={step === 1 ? "" : undefined}>
        <Csrf />
        <button type="submit" name="do" value="next" hidden>
          {w.next}
        </button>
        <input type="hidden" name="step" value={String(step)} />
        <Hidden d={d} except={own} />
        {step === 0 ? (
          <>
            <label for="name">{t.common.name}</label>
            <input id="name" name="name" required value={d.name} />
            <label for="template_id">{t.scenarios.template}</label>
            {props.templates.length ? (
              <select id="template_id" name="template_id">
                {props.templates.map((x) => (
                  <option value={x.id} selected={x.id === d.template_id}>
                    {x.name}
                  </option>
                ))}
              </select>
            ) : (
              <p class="muted">
                <a href="/app/templates/new">{w.noTemplates}</a>
              </p>
            )}
            <label for="from_email">{t.form.fromEmail}</label>
            <input id="from_email" name="from_email" type="email" required value={d.from_email} />
            <label for="from_name">{t.form.fromName}</label>
            <input id="from_name" name="from_name" value={d.from_name} />
          </>
        ) : null}
        {step === 1 ? (
          props.segments.length ? (
            <>
              <SegmentChoice
                name="segment_ids"
                legend={t.nav.segments}
                segments={props.segments}
                chosen={d.segment_ids}
              />
              <SegmentChoice
                name="exclude_segment_ids"
                legend={w.exclude}
                segments={props.segments}
                chosen={d.exclude_segment_ids}
              />
              <button type="submit" class="secondary" name="do" value="count">
                {w.countNow}
              </button>
              <section class="card" aria-live="polite" hidden={!props.estimate}>
                <p>
                  {`${w.audienceCount}: `}
                  <span class="figure" id="segment-count">
                    {props.estimate?.count ?? ""}
                  </span>
                </p>
                <p class="muted">
                  {`${t.segments.sample}: `}
                  <span id="segment-sample">{props.estimate?.sample.join(", ") ?? ""}</span>
                </p>
              </section>
            </>
          ) : (
            <p class="muted">
              <a href="/app/segments/new">{w.noSegments}</a>
            </p>
          )
        ) : null}
        {step === 2 ? (
          <fieldset>
            <legend>{w.when}</legend>
            <label>
              <input type="radio" name="when" value="now" checked={d.when === "now"} /> {w.now}
            </label>
            <label>
              <input type="radio" name="when" value="later" checked={d.when === "later"} /> {w.later}
            </label>
            <label for="send_at">{`${w.zone} ${props.zone}`}</label>
            <input id="send_at" name="send_at" type="datetime-local" value={d.send_at} />
          </fieldset>
        ) : null}
        <div class="row">
          {step > 0 ? (
            <button type="submit" class="secondary" name="do" value="back">
              {w.back}
            </button>
          ) : null}
          <button type="submit" name="do" value="next">
            {step === WIZARD_STEPS - 1 ? w.toReview : w.next}
          </button>
        </div>
      </form>
    </>
  );
}
