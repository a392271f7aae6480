import { DAY_NAMES } from "../../../services/scenarios/planning";
import type { ErrorDetail } from "../../../lib/errors";
import { usePage } from "../layout";
import { field } from "../../../routes/app/session";

type Form = Record<string, unknown>;

/** What the settings form holds, as the API's ScenarioCreate/ScenarioPatch take it (blank = unset). */
export function settingsFromForm(f: Form) {
  const text = (k: string) => field(f, k).trim();
  const num = (k: string) => (text(k) === "" ? null : Number(text(k)));
  const days = DAY_NAMES.filter((d) => field(f, `day_${d}`) === "on");
  return {
    name: text("name"),
    provider: (text("provider") || undefined) as "log" | "ses" | "brevo" | undefined,
    from_email: text("from_email"),
    from_name: text("from_name") || null,
    reply_to: text("reply_to") || null,
    send_window_start: text("send_window_start") || null,
    send_window_end: text("send_window_end") || null,
    send_days: days.length ? days : null,
    timezone: text("timezone") || null,
    daily_cap: num("daily_cap"),
    cooldown_days: num("cooldown_days"),
    segment_id: text("segment_id") || null,
    stop_on_reply: field(f, "stop_on_reply") === "on",
    // Filters: who may receive a step at all.
    min_validation_score: num("min_validation_score"),
    only_deliverable: field(f, "only_deliverable") === "on",
    exclude_domains: text("exclude_domains")
      .split(/[\s,;]+/)
      .filter(Boolean),
  };
}

export type SettingsValues = ReturnType<typeof settingsFromForm>;

/** The settings fields; each shows its error (from the API's own schema) under it. */
export function SettingsFields(props: {
  v: Partial<SettingsValues>;
  errors: ErrorDetail[];
  segments: { id: string; name: string }[];
}) {
  const p = usePage();
  const { t } = p;
  const v = props.v;
  const err = (k: string) => props.errors.find((e) => e.field === k || e.field?.startsWith(`${k}.`));
  const Input = (x: { k: keyof SettingsValues; label: string; type?: string; required?: boolean }) => {
    const e = err(x.k);
    const value = v[x.k];
    return (
      <div>
        <label for={x.k}>{x.label}</label>
        <input
          id={x.k}
          name={x.k}
          type={x.type ?? "text"}
          required={x.required}
          value={value === null || value === undefined ? "" : String(value)}
          aria-invalid={e ? "true" : undefined}
          aria-describedby={e ? `${x.k}-error` : undefined}
        />
        {e ? (
          <p class="notice error" id={`${x.k}-error`}>
            {e.message}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <fieldset class="card">
      <legend>{t.scenarios.settings}</legend>
      <div class="grid">
        <Input k="name" label={t.common.name} required />
        <div>
          <label for="provider">{t.form.provider}</label>
          <select id="provider" name="provider">
            <option value="">{t.form.providerDefault}</option>
            {(["log", "ses", "brevo"] as const).map((x) => (
              <option value={x} selected={v.provider === x}>
                {x}
              </option>
            ))}
          </select>
        </div>
        <Input k="from_email" label={t.form.fromEmail} type="email" required />
        <Input k="from_name" label={t.form.fromName} />
        <Input k="reply_to" label={t.form.replyTo} type="email" />
        <Input k="send_window_start" label={t.form.windowStart} />
        <Input k="send_window_end" label={t.form.windowEnd} />
        <Input k="timezone" label={t.form.timezone} />
        <Input k="daily_cap" label={t.form.dailyCap} type="number" />
        <Input k="cooldown_days" label={t.form.cooldown} type="number" />
        <Input k="min_validation_score" label={t.form.minValidation} type="number" />
        <div>
          <label for="exclude_domains">{t.form.excludeDomains}</label>
          <input id="exclude_domains" name="exclude_domains" value={(v.exclude_domains ?? []).join(", ")} />
          {err("exclude_domains") ? (
            <p class="notice error" id="exclude_domains-error">
              {err("exclude_domains")?.message}
            </p>
          ) : null}
        </div>
        <div>
          <label for="segment_id">{p.t.nav.segments}</label>
          <select id="segment_id" name="segment_id">
            <option value="">{t.form.allContacts}</option>
            {props.segments.map((s) => (
              <option value={s.id} selected={v.segment_id === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset class="days">
        <legend>{t.form.days}</legend>
        {DAY_NAMES.map((d) => (
          <label>
            <input type="checkbox" name={`day_${d}`} checked={!v.send_days || v.send_days.includes(d)} />{" "}
            {t.form.dayNames[d]}
          </label>
        ))}
      </fieldset>
      <label>
        <input type="checkbox" name="stop_on_reply" checked={v.stop_on_reply ?? true} /> {t.form.stopOnReply}
      </label>
      <label>
        <input type="checkbox" name="only_deliverable" checked={v.only_deliverable ?? false} />{" "}
        {t.form.onlyDeliverable}
      </label>
    </fieldset>
  );
}
