import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { countMembers, criteriaMembership, membershipOf, sampleMembers } from "../../services/segments/query";
import { createSegment, getSegment, listSegments, updateSegment } from "../../services/segments/store";
import { Table } from "../../ui/app/components";
import { SegmentCreate, SegmentPatch } from "../segments/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { contactView } from "../../services/contacts/view";
import { Builder, type Draft } from "../../ui/app/segments/builder";
import { criteriaOfTree, treeOfCriteria } from "../../ui/app/conditions/json";
import { applyEdit, emptyRoot, pruned, treeFromForm } from "../../ui/app/conditions/tree";

/** The criteria the draft stands for: the pasted JSON when there is some, else the builder's tree. */
function criteriaOf(d: Draft): unknown {
  if (d.json.trim()) {
    try {
      return JSON.parse(d.json);
    } catch {
      return "(invalid JSON)";
    }
  }
  return criteriaOfTree(pruned(d.root));
}

const draftOf = (f: Record<string, unknown>): Draft => ({
  name: field(f, "name").trim(),
  root: treeFromForm(f),
  json: field(f, "criteria_json"),
});

const draftFrom = (name: string, criteria: unknown): Draft => ({
  name,
  root: criteria ? treeOfCriteria(criteria) : emptyRoot(),
  json: "",
});

async function builderPage(
  c: Ctx,
  id: string | null,
  d: Draft,
  errors: ErrorDetail[] = [],
  preview: { count: number; sample: string[] } | null = null,
) {
  const p = await pageOf(c);
  const action = id ? `/app/segments/${encodeURIComponent(id)}` : "/app/segments";
  return render(
    c,
    d.name || p.t.segments.title,
    <Builder
      d={d}
      action={action}
      errors={errors}
      preview={preview}
      current={criteriaOfTree(pruned(d.root))}
    />,
    errors.length ? 422 : 200,
  );
}

/** Count or save: both check the criteria with the API's own schema. */
async function submit(c: Ctx, id: string | null) {
  const form = await formOf(c);
  const d = draftOf(form);
  const tenant = c.get("tenant");
  const todo = field(form, "do");
  // A builder button (add / remove a row or a group): the same draft, edited, nothing saved.
  if (applyEdit(d.root, todo)) return builderPage(c, id, d);
  const criteria = criteriaOf(d);
  if (todo === "json" && typeof criteria === "object" && criteria) {
    return builderPage(c, id, { ...d, root: treeOfCriteria(criteria), json: "" });
  }
  const schema = id ? SegmentPatch : SegmentCreate;
  const parsed = schema.safeParse(
    id ? { name: d.name, criteria } : { name: d.name, type: "dynamic", criteria },
  );
  if (!parsed.success) {
    if (c.req.header("Accept")?.includes("application/json"))
      return c.json({ errors: issuesOf(parsed.error) }, 422);
    return builderPage(c, id, d, issuesOf(parsed.error));
  }
  if (todo === "count") {
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
    return render(
      c,
      p.t.segments.title,
      <>
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
      </>,
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
