import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { FIELD_NAMES, OPERATORS } from "../../services/segments/fields";
import { countMembers, criteriaMembership, membershipOf, sampleMembers } from "../../services/segments/query";
import { createSegment, getSegment, listSegments, updateSegment } from "../../services/segments/store";
import { Notice, Table } from "../../ui/app/components";
import { AppLayout, Csrf, type Page } from "../../ui/app/layout";
import { SegmentCreate, SegmentPatch } from "../segments/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, html, pageOf } from "./session";
import { contactView } from "../../services/contacts/view";

const ROWS = 6;

interface Draft {
  name: string;
  logic: "and" | "or";
  rows: { field: string; operator: string; value: string }[];
  json: string;
}

const typed = (v: string): unknown =>
  /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === "true" ? true : v === "false" ? false : v;

/** The builder's rows (or the JSON box, when filled) as the API's criteria. */
function criteriaOf(d: Draft): unknown {
  if (d.json.trim()) {
    try {
      return JSON.parse(d.json);
    } catch {
      return "(invalid JSON)";
    }
  }
  return {
    logic: d.logic,
    conditions: d.rows
      .filter((r) => r.field && r.operator)
      .map((r) => ({ field: r.field, operator: r.operator, value: typed(r.value.trim()) })),
  };
}

function draftOf(f: Record<string, unknown>): Draft {
  return {
    name: field(f, "name").trim(),
    logic: field(f, "logic") === "or" ? "or" : "and",
    rows: Array.from({ length: ROWS }, (_, i) => ({
      field: field(f, `c${i}_field`),
      operator: field(f, `c${i}_operator`),
      value: field(f, `c${i}_value`),
    })),
    json: field(f, "criteria_json"),
  };
}

function draftFrom(name: string, criteria: unknown): Draft {
  const c = criteria as {
    logic?: string;
    conditions?: { field?: string; operator?: string; value?: unknown; logic?: string }[];
  } | null;
  const flat = !!c?.conditions?.every((x) => x.field !== undefined);
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const x = flat ? c?.conditions?.[i] : undefined;
    return {
      field: x?.field ?? "",
      operator: x?.operator ?? "",
      value: x?.value === undefined ? "" : String(x.value),
    };
  });
  return {
    name,
    logic: c?.logic === "or" ? "or" : "and",
    rows,
    json: c && !flat ? JSON.stringify(c, null, 2) : "",
  };
}

function Builder(props: {
  p: Page;
  d: Draft;
  action: string;
  errors: ErrorDetail[];
  preview: { count: number; sample: string[] } | null;
}) {
  const { p, d } = props;
  const { t } = p;
  return (
    <form method="post" action={props.action} data-live-count>
      <Csrf p={p} />
      {props.errors.length ? (
        <Notice kind="error">{props.errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <label for="name">{t.common.name}</label>
      <input id="name" name="name" value={d.name} required />
      <label for="logic">{t.form.logic}</label>
      <select id="logic" name="logic">
        <option value="and" selected={d.logic === "and"}>
          {t.form.logicAnd}
        </option>
        <option value="or" selected={d.logic === "or"}>
          {t.form.logicOr}
        </option>
      </select>
      {d.rows.map((r, i) => (
        <div class="row">
          <div>
            <label for={`c${i}_field`}>{`${t.form.field} ${i + 1}`}</label>
            <select id={`c${i}_field`} name={`c${i}_field`}>
              <option value="">—</option>
              {FIELD_NAMES.filter((f) => !f.includes("<")).map((f) => (
                <option value={f} selected={f === r.field}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for={`c${i}_operator`}>{t.form.operator}</label>
            <select id={`c${i}_operator`} name={`c${i}_operator`}>
              <option value="">—</option>
              {OPERATORS.map((o) => (
                <option value={o} selected={o === r.operator}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for={`c${i}_value`}>{t.form.value}</label>
            <input id={`c${i}_value`} name={`c${i}_value`} value={r.value} />
          </div>
        </div>
      ))}
      <details open={!!d.json}>
        <summary>{t.segments.criteria}</summary>
        <textarea id="criteria_json" name="criteria_json" rows={8} aria-label={t.segments.criteria}>
          {d.json}
        </textarea>
      </details>
      <div class="row">
        <button type="submit" class="secondary" name="do" value="count">
          {t.segments.count}
        </button>
        <button type="submit" name="do" value="save">
          {t.common.save}
        </button>
      </div>
      <section class="card" aria-live="polite" hidden={!props.preview}>
        <p>
          {t.segments.count}:{" "}
          <span class="figure" id="segment-count">
            {props.preview?.count ?? ""}
          </span>
        </p>
        <p class="muted">
          {`${t.segments.sample}: `}
          <span id="segment-sample">{props.preview?.sample.join(", ") ?? ""}</span>
        </p>
      </section>
    </form>
  );
}

async function builderPage(
  c: Ctx,
  id: string | null,
  d: Draft,
  errors: ErrorDetail[] = [],
  preview: { count: number; sample: string[] } | null = null,
) {
  const p = await pageOf(c);
  const action = id ? `/app/segments/${encodeURIComponent(id)}` : "/app/segments";
  return html(
    c,
    <AppLayout p={p} title={d.name || p.t.segments.title}>
      <Builder p={p} d={d} action={action} errors={errors} preview={preview} />
    </AppLayout>,
    errors.length ? 422 : 200,
  );
}

/** Count or save: both check the criteria with the API's own schema. */
async function submit(c: Ctx, id: string | null) {
  const d = draftOf(await formOf(c));
  const tenant = c.get("tenant");
  const criteria = criteriaOf(d);
  const schema = id ? SegmentPatch : SegmentCreate;
  const parsed = schema.safeParse(
    id ? { name: d.name, criteria } : { name: d.name, type: "dynamic", criteria },
  );
  if (!parsed.success) {
    if (c.req.header("Accept")?.includes("application/json"))
      return c.json({ errors: issuesOf(parsed.error) }, 422);
    return builderPage(c, id, d, issuesOf(parsed.error));
  }
  if (field(await formOf(c), "do") === "count") {
    const m = criteriaMembership(parsed.data.criteria as never);
    const [count, sample] = await Promise.all([countMembers(tenant, m), sampleMembers(tenant, m, 10)]);
    const preview = { count, sample: sample.map((r) => contactView(r).email) };
    // The page script asks for JSON as the criteria change (the live count).
    if (c.req.header("Accept")?.includes("application/json")) return c.json(preview);
    return builderPage(c, id, d, [], preview);
  }
  return runForm(
    async () => {
      const row = id
        ? await updateSegment(tenant, id, parsed.data)
        : await createSegment(tenant, parsed.data as never);
      return c.redirect(`/app/segments/${encodeURIComponent(row.id)}`, 303);
    },
    (errors) => builderPage(c, id, d, errors),
  );
}

/** Segments: the list with counts, a criteria builder with a live count and sample. */
export function registerSegments(app: App) {
  app.get("/app/segments", async (c) => {
    const p = await pageOf(c);
    const tenant = c.get("tenant");
    const list = await listSegments(tenant, { limit: 200 });
    const counts = await Promise.all(list.items.map((s) => countMembers(tenant, membershipOf(s))));
    return html(
      c,
      <AppLayout p={p} title={p.t.segments.title}>
        <p>
          <a class="button" href="/app/segments/new">
            {p.t.common.create}
          </a>
        </p>
        <Table
          head={[p.t.common.name, "type", p.t.segments.count]}
          empty={p.t.common.empty}
          rows={list.items.map((s, i) => [
            <a href={`/app/segments/${encodeURIComponent(s.id)}`}>{s.name}</a>,
            s.type,
            String(counts[i] ?? 0),
          ])}
        />
      </AppLayout>,
    );
  });
  app.get("/app/segments/new", (c) => builderPage(c, null, draftFrom("", null)));
  app.post("/app/segments", (c) => submit(c, null));
  app.get("/app/segments/:id", async (c) => {
    const s = await getSegment(c.get("tenant"), c.req.param("id"));
    const m = membershipOf(s);
    const [count, sample] = await Promise.all([
      countMembers(c.get("tenant"), m),
      sampleMembers(c.get("tenant"), m, 10),
    ]);
    const preview = { count, sample: sample.map((r) => contactView(r).email) };
    return builderPage(c, s.id, draftFrom(s.name, s.criteria ? JSON.parse(s.criteria) : null), [], preview);
  });
  app.post("/app/segments/:id", (c) => submit(c, c.req.param("id")));
}
