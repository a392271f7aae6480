import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import { RuleCreateSchema, RulePatchSchema } from "../../services/rules/definitions";
import { dryRun } from "../../services/rules/dry-run";
import { listRuns, runView } from "../../services/rules/runs";
import { createRule, getRule, listRules, ruleView, updateRule } from "../../services/rules/store";
import { listScenarios } from "../../services/scenarios/store";
import { listSegments } from "../../services/segments/store";
import { listTemplates } from "../../services/templates/store";
import { listUsers } from "../../services/users/store";
import { Table } from "../../ui/app/components";
import { applyEdit, emptyRoot } from "../../ui/app/conditions/tree";
import { formatDate } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import {
  ACTION_TYPES,
  type RuleDraft,
  ruleDraftFromForm,
  ruleDraftOf,
  ruleInputOf,
} from "../../ui/app/rules/draft";
import { RuleEditor, TriggerOptions } from "../../ui/app/rules/editor";
import type { Lists } from "../../ui/app/rules/fields";
import { DryRunBody } from "../rules/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, pageOf, render } from "./session";

async function listsOf(tenant: Tenant): Promise<Lists> {
  const [templates, scenarios, users, segments] = await Promise.all([
    listTemplates(tenant, { limit: 200 }),
    listScenarios(tenant, { limit: 200 }),
    listUsers(tenant, { limit: 200 }),
    listSegments(tenant, { limit: 200 }),
  ]);
  const named = (items: { id: string; name: string }[]) => items.map((x) => ({ id: x.id, name: x.name }));
  return {
    templates: named(templates.items),
    scenarios: named(scenarios.items),
    users: users.items.map((u) => ({ id: u.id, name: `${u.name} <${u.email}>` })),
    segments: named(segments.items),
  };
}

async function editor(
  c: Ctx,
  id: string | null,
  d: RuleDraft,
  errors: ErrorDetail[] = [],
  extra: unknown = null,
) {
  const p = await pageOf(c);
  const { t } = p;
  const tenant = c.get("tenant");
  const [runs, lists] = await Promise.all([id ? listRuns(tenant, id, { limit: 20 }) : null, listsOf(tenant)]);
  const action = id ? `/app/rules/${encodeURIComponent(id)}` : "/app/rules";
  return render(
    c,
    d.name || t.rules.title,
    <>
      <RuleEditor d={d} action={action} errors={errors} lists={lists} current={ruleInputOf(d)} />
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
              return [
                formatDate(Date.parse(v.created_at), p.lang, p.timeZone),
                v.status,
                v.actions.map((a) => `${a.type}: ${a.status}`).join(", "),
              ];
            })}
          />
        </section>
      ) : null}
    </>,
    errors.length ? 422 : 200,
  );
}

/** A builder button: the draft with the edit applied, or null when the button saves. */
function edited(d: RuleDraft, todo: string, form: Record<string, unknown>): RuleDraft | null {
  if (applyEdit(d.root, todo) || todo === "refresh") return d;
  if (todo === "add-action" && d.actions.length < 20) {
    const type = ACTION_TYPES.find((a) => a === field(form, "add_action_type")) ?? "add_tag";
    return { ...d, actions: [...d.actions, { type, delay: "0", values: {}, extra: "" }] };
  }
  const m = /^remove-action:(\d{1,2})$/.exec(todo);
  if (m) return { ...d, actions: d.actions.filter((_, i) => i !== Number(m[1])) };
  return null;
}

async function save(c: Ctx, id: string | null) {
  const form = await formOf(c);
  const d = ruleDraftFromForm(form);
  const todo = field(form, "do");
  const shaped = edited(d, todo, form);
  if (shaped) return editor(c, id, shaped);
  let input: unknown = ruleInputOf(d);
  if (d.json.trim()) {
    try {
      input = JSON.parse(d.json);
    } catch {
      return editor(c, id, d, [{ field: "rule_json", message: "is not valid JSON" }]);
    }
    // "Use this JSON": the builder shows the pasted rule; nothing is saved yet.
    if (todo === "json") return editor(c, id, ruleDraftOf(input as Record<string, unknown>));
  }
  const parsed = (id ? RulePatchSchema : RuleCreateSchema).safeParse(input);
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

const NEW_RULE: RuleDraft = {
  ...ruleDraftOf({ trigger: "email_clicked", actions: [{ type: "add_tag", config: { tag: "" } }] }),
  root: emptyRoot(),
};

/** Rules: the list, a form builder for trigger, conditions and actions (JSON behind a disclosure), runs, the dry run. */
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
  app.get("/app/rules/new", (c) => editor(c, null, structuredClone(NEW_RULE)));
  app.post("/app/rules", (c) => save(c, null));
  app.post("/app/rules/test", async (c) => {
    const f = await formOf(c);
    const d = {
      ...structuredClone(NEW_RULE),
      trigger: ruleDraftFromForm({ trigger: field(f, "type") }).trigger,
    };
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
    return editor(c, v.id, ruleDraftOf(v));
  });
  app.post("/app/rules/:id", (c) => save(c, c.req.param("id")));
}
