import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { RULE_TRIGGERS, RuleCreateSchema, RulePatchSchema } from "../../services/rules/definitions";
import { dryRun } from "../../services/rules/dry-run";
import { listRuns, runView } from "../../services/rules/runs";
import { createRule, getRule, listRules, ruleView, updateRule } from "../../services/rules/store";
import { Notice, Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { DryRunBody } from "../rules/schema";
import { issuesOf, runForm } from "./forms";

/** The rule triggers as the options of a select. */
const TriggerOptions = (props: { selected: string }) => (
  <>
    {RULE_TRIGGERS.map((x) => (
      <option value={x} selected={x === props.selected}>
        {x}
      </option>
    ))}
  </>
);
import { type Ctx, field, formOf, render, pageOf } from "./session";

interface Draft {
  name: string;
  trigger: string;
  conditions: string;
  actions: string;
  enabled: boolean;
}

const json = (s: string, fallback: unknown) => {
  if (!s.trim()) return fallback;
  try {
    return JSON.parse(s);
  } catch {
    return "(invalid JSON)";
  }
};

const draftOf = (f: Record<string, unknown>): Draft => ({
  name: field(f, "name").trim(),
  trigger: field(f, "trigger"),
  conditions: field(f, "conditions"),
  actions: field(f, "actions"),
  enabled: field(f, "enabled") === "on",
});

const inputOf = (d: Draft) => ({
  name: d.name,
  trigger: d.trigger,
  conditions: json(d.conditions, {}),
  actions: json(d.actions, []),
  enabled: d.enabled,
});

async function editor(
  c: Ctx,
  id: string | null,
  d: Draft,
  errors: ErrorDetail[] = [],
  extra: unknown = null,
) {
  const p = await pageOf(c);
  const { t } = p;
  const runs = id ? await listRuns(c.get("tenant"), id, { limit: 20 }) : null;
  const action = id ? `/app/rules/${encodeURIComponent(id)}` : "/app/rules";
  return render(
    c,
    d.name || t.rules.title,
    <>
      {errors.length ? (
        <Notice kind="error">{errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <form method="post" action={action}>
        <Csrf />
        <label for="name">{t.common.name}</label>
        <input id="name" name="name" required value={d.name} />
        <label for="trigger">{t.rules.trigger}</label>
        <select id="trigger" name="trigger">
          <TriggerOptions selected={d.trigger} />
        </select>
        <label for="conditions">{`${t.rules.conditions} ${t.form.json}`}</label>
        <textarea id="conditions" name="conditions" rows={6}>
          {d.conditions}
        </textarea>
        <label for="actions">{`${t.rules.actions} ${t.form.json}`}</label>
        <textarea id="actions" name="actions" rows={8} required>
          {d.actions}
        </textarea>
        <label>
          <input type="checkbox" name="enabled" checked={d.enabled} /> {t.rules.enabled}
        </label>
        <p>
          <button type="submit">{t.common.save}</button>
        </p>
      </form>
      <section class="card">
        <h2>{t.form.dryRun}</h2>
        <form method="post" action="/app/rules/test" class="row">
          <Csrf />
          <div>
            <label for="event_type">{t.rules.trigger}</label>
            <select id="event_type" name="type">
              <TriggerOptions selected={d.trigger} />
            </select>
          </div>
          <div>
            <label for="event_email">{t.common.email}</label>
            <input id="event_email" name="email" type="email" />
          </div>
          <button type="submit" class="secondary">
            {t.form.dryRun}
          </button>
        </form>
        {extra ? <pre>{JSON.stringify(extra, null, 2)}</pre> : null}
      </section>
      {runs ? (
        <section>
          <h2>{t.rules.runs}</h2>
          <Table
            head={[t.common.created, t.common.status, t.rules.actions]}
            empty={t.common.empty}
            rows={runs.items.map((r) => {
              const v = runView(r);
              return [v.created_at, v.status, v.actions.map((a) => `${a.type}: ${a.status}`).join(", ")];
            })}
          />
        </section>
      ) : null}
    </>,
    errors.length ? 422 : 200,
  );
}

async function save(c: Ctx, id: string | null) {
  const d = draftOf(await formOf(c));
  const parsed = (id ? RulePatchSchema : RuleCreateSchema).safeParse(inputOf(d));
  if (!parsed.success) return editor(c, id, d, issuesOf(parsed.error));
  return runForm(
    async () => {
      const rule = id
        ? await updateRule(c.get("tenant"), id, parsed.data)
        : await createRule(c.get("tenant"), parsed.data as never);
      return c.redirect(`/app/rules/${encodeURIComponent(rule.id)}`, 303);
    },
    (errors) => editor(c, id, d, errors),
  );
}

/** Rules: the list, an editor for trigger, conditions and actions, their runs, the dry run. */
export function registerRules(app: App) {
  app.get("/app/rules", async (c) => {
    const p = await pageOf(c);
    const list = await listRules(c.get("tenant"), { limit: 200 });
    return render(
      c,
      p.t.rules.title,
      <>
        <p>
          <a class="button" href="/app/rules/new">
            {p.t.common.create}
          </a>
        </p>
        <Table
          head={[p.t.common.name, p.t.rules.trigger, p.t.rules.enabled, p.t.common.updated]}
          empty={p.t.common.empty}
          rows={list.items.map((r) => [
            <a href={`/app/rules/${encodeURIComponent(r.id)}`}>{r.name}</a>,
            r.trigger,
            r.enabled ? p.t.common.yes : p.t.common.no,
            formatDate(r.updatedAt, p.lang, p.timeZone),
          ])}
        />
      </>,
    );
  });
  app.get("/app/rules/new", (c) =>
    editor(c, null, {
      name: "",
      trigger: "email_clicked",
      conditions: "",
      actions: '[{"type": "add_tag", "config": {"tag": "clicked"}}]',
      enabled: true,
    }),
  );
  app.post("/app/rules", (c) => save(c, null));
  app.post("/app/rules/test", async (c) => {
    const f = await formOf(c);
    const d = { name: "", trigger: field(f, "type"), conditions: "", actions: "", enabled: true };
    const parsed = DryRunBody.safeParse({
      event: { type: field(f, "type"), ...(field(f, "email") ? { email: field(f, "email") } : {}) },
    });
    if (!parsed.success) return editor(c, null, d, issuesOf(parsed.error));
    return runForm(
      async () => editor(c, null, d, [], await dryRun(c.get("tenant"), parsed.data.event)),
      (errors) => editor(c, null, d, errors),
    );
  });
  app.get("/app/rules/:id", async (c) => {
    const v = ruleView(await getRule(c.get("tenant"), c.req.param("id")));
    return editor(c, v.id, {
      name: v.name,
      trigger: v.trigger,
      conditions: JSON.stringify(v.conditions, null, 2),
      actions: JSON.stringify(v.actions, null, 2),
      enabled: v.enabled,
    });
  });
  app.post("/app/rules/:id", (c) => save(c, c.req.param("id")));
}
