import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import { clickJourney, flow, getFlow, putFlow } from "../helpers/journey";
import { child, createScenario, entry, fixture, putSteps, useScenarioQueues } from "../helpers/scenario";

useScenarioQueues();

const fields = (res: { error: { details: { field?: string }[] } }) =>
  res.error.details.map((d) => d.field).sort();

describe("PUT / GET /scenarios/:id/flow", () => {
  it("writes a graph and reads it back with its version and zeroed stats", async () => {
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const s = await createScenario(f);
    const body = clickJourney(a, b, { goal: { event: "purchase" }, reentry: { policy: "always" } });
    const saved = await putFlow(f, s.id, body);
    expect(saved).toMatchObject({ version: 1, source: "flow", start: "welcome", status: "draft" });
    expect(saved.nodes).toEqual(body.nodes);
    const got = await getFlow(f, s.id);
    expect(got.nodes).toEqual(body.nodes);
    expect(got.goal).toEqual({ event: "purchase" });
    expect(got.reentry).toEqual({ policy: "always" });
    expect(got.exit_on).toEqual(["unsubscribed", "bounced", "replied"]);
    expect(got.stats).toMatchObject({ runs: 0, converted: 0, conversion_rate: 0 });
    expect(got.stats.nodes.clicked).toEqual({ entered: 0, waiting: 0, completed: 0, yes: 0, no: 0 });
    expect(got.stats.nodes.welcome).toMatchObject({ sent: 0, opened: 0, clicked: 0 });
    // The email nodes are steps of the same version: GET /scenarios/:id lists them.
    const detail = await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, expect: 200 });
    expect(detail.steps.map((x: { name: string; template_id: string }) => [x.name, x.template_id])).toEqual([
      ["welcome", a],
      ["reminder", b],
    ]);
    // A second write is a new version; email nodes keep their numbers.
    const again = await putFlow(f, s.id, { ...body, nodes: body.nodes.slice().reverse() });
    expect(again.version).toBe(2);
    const detail2 = await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, expect: 200 });
    expect(
      detail2.steps.map((x: { step_order: number; name: string }) => `${x.step_order}:${x.name}`).sort(),
    ).toEqual(
      detail.steps.map((x: { step_order: number; name: string }) => `${x.step_order}:${x.name}`).sort(),
    );
  });

  it("reads a steps journey as its graph: delays as waits, opened/not_opened as a wait_for with yes and no", async () => {
    const f = await fixture(3);
    const [a, b, c] = f.templates as [string, string, string];
    const s = await createScenario(f);
    await putSteps(f, s.id, [
      entry(a),
      child(2, "not_opened", 1, b, { delay_days: 2 }),
      child(3, "opened", 1, c, { delay_hours: 1 }),
    ]);
    const got = await getFlow(f, s.id);
    expect(got.source).toBe("steps");
    expect(got.start).toBe("s1");
    const byId = Object.fromEntries(got.nodes.map((n: { id: string }) => [n.id, n]));
    expect(byId.s1).toMatchObject({ type: "email", template_id: a, next: "s1-opened" });
    expect(byId["s1-opened"]).toMatchObject({
      type: "wait_for",
      event: "opened",
      node: "s1",
      within: { days: 2 },
      yes: "s3-wait",
      no: "s2",
    });
    expect(byId["s3-wait"]).toMatchObject({ type: "wait", hours: 1, next: "s3" });
    // The steps API is unchanged: the same steps read back.
    const detail = await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, expect: 200 });
    expect(detail.steps).toHaveLength(3);
  });

  it("answers 422 naming the path of each fault", async () => {
    const f = await fixture(1);
    const [a] = f.templates as [string];
    const s = await createScenario(f);
    const bad = async (body: unknown) =>
      json(`/api/v1/scenarios/${s.id}/flow`, { key: f.org.key, method: "PUT", body, expect: 422 });

    // A dangling next, a missing branch, an unreachable node.
    expect(
      fields(
        await bad(
          flow([
            { id: "e", type: "email", template_id: a, next: "nowhere" },
            { id: "w", type: "wait_for", event: "opened", within: { days: 1 }, yes: "e" },
            { id: "lonely", type: "exit" },
          ]),
        ),
      ),
    ).toEqual(["nodes[0].next", "nodes[1]", "nodes[1].no", "nodes[2]"]);
    // A loop with no wait on it.
    const loop = await bad(
      flow([
        {
          id: "c",
          type: "condition",
          criteria: { logic: "and", conditions: [{ field: "score", operator: "gt", value: 5 }] },
          yes: "t",
          no: "x",
        },
        { id: "t", type: "action", action: { type: "add_tag", config: { tag: "hot" } }, next: "c" },
        { id: "x", type: "exit" },
      ]),
    );
    expect(loop.error.details[0].message).toMatch(/loop/);
    // Split percents, an unknown type, a wait with no duration.
    expect(
      fields(
        await bad(
          flow([
            {
              id: "s",
              type: "split",
              paths: [
                { name: "A", percent: 60, next: "x" },
                { name: "B", percent: 30, next: "x" },
              ],
            },
            { id: "x", type: "exit" },
          ]),
        ),
      ),
    ).toEqual(["nodes[0].paths"]);
    expect(fields(await bad(flow([{ id: "x", type: "teleport" }])))).toEqual(["nodes[0].type"]);
    expect(
      fields(
        await bad(
          flow([
            { id: "w", type: "wait", next: "x" },
            { id: "x", type: "exit" },
          ]),
        ),
      ),
    ).toEqual(["nodes[0].days"]);
    // More than 200 nodes.
    const many = Array.from({ length: 201 }, (_, i) => ({
      id: `n${i}`,
      type: "wait",
      minutes: 1,
      ...(i < 200 ? { next: `n${i + 1}` } : {}),
    }));
    expect(fields(await bad(flow(many)))).toEqual(["nodes"]);
    // An unknown template, and another organization's.
    const other = await fixture(1);
    const res = await json(`/api/v1/scenarios/${s.id}/flow`, {
      key: f.org.key,
      method: "PUT",
      body: flow([
        { id: "e1", type: "email", template_id: "tpl_nope", next: "e2" },
        { id: "e2", type: "email", template_id: other.templates[0] },
      ]),
      expect: 422,
    });
    expect(res.error.code).toBe("TEMPLATE_NOT_FOUND");
    expect(fields(res)).toEqual(["nodes[0].template_id", "nodes[1].template_id"]);
    // Nothing was saved by any of these.
    expect((await getFlow(f, s.id)).version).toBe(0);
    // Bad JSON shapes never give a 500.
    for (const body of [
      null,
      [],
      { nodes: "x" },
      { start: 1, nodes: [{}] },
      { entry: { type: "event" }, start: "a", nodes: [{ id: "a", type: "exit" }] },
    ])
      expect(
        (await json(`/api/v1/scenarios/${s.id}/flow`, { key: f.org.key, method: "PUT", body })).error.code,
      ).toBe("VALIDATION_ERROR");
  });

  it("is scoped to the organization", async () => {
    const f = await fixture(1);
    const other = await fixture(1);
    const s = await createScenario(f);
    await json(`/api/v1/scenarios/${s.id}/flow`, { key: other.org.key, expect: 404 });
    await json(`/api/v1/scenarios/${s.id}/flow`, {
      key: other.org.key,
      method: "PUT",
      body: flow([{ id: "x", type: "exit" }]),
      expect: 404,
    });
    await json(`/api/v1/scenarios/${s.id}/runs`, { key: other.org.key, expect: 404 });
  });
});

describe("journey recipes", () => {
  it("each recipe creates its templates in the member's language and a journey that passes the checks", async () => {
    const { RECIPES, applyRecipe } = await import("../../src/services/scenarios/flow/recipes");
    const { tenantScope } = await import("../../src/lib/tenant");
    const { db } = await import("../helpers/events");
    const f = await fixture(0);
    const tenant = tenantScope(db, f.org.id);
    for (const lang of ["en", "fr"] as const)
      for (const key of RECIPES) {
        const s = await createScenario(f, { name: `${key} ${lang}` });
        const saved = await applyRecipe(tenant, s.id, key, lang);
        expect(saved.version).toBe(1);
        const got = await getFlow(f, s.id);
        const emails = got.nodes.filter((n: { type: string }) => n.type === "email");
        for (const e of emails) {
          const t = await json(`/api/v1/templates/${e.template_id}`, { key: f.org.key, expect: 200 });
          if (lang === "fr") expect(t.html).toMatch(/Bonjour/);
          else expect(t.html).toMatch(/Hello/);
        }
      }
    const list = await json("/api/v1/scenarios?limit=50", { key: f.org.key, expect: 200 });
    expect(list.items).toHaveLength(RECIPES.length * 2);
  });

  it("the new-scenario page starts from a recipe", async () => {
    const { signedIn } = await import("../helpers/ui");
    const { browser, org } = await signedIn();
    await browser.get("/app/scenarios");
    expect(browser.last).toContain("/app/scenarios/new?recipe=abandoned_cart");
    await browser.get("/app/scenarios/new?recipe=abandoned_cart");
    expect(browser.last).toMatch(/value="abandoned_cart" checked/);
    const res = await browser.post("/app/scenarios", {
      recipe: "abandoned_cart",
      name: "Panier",
      provider: "log",
      from_email: "shop@example.com",
    });
    expect(res.status).toBe(303);
    const id = (res.headers.get("location") ?? "").split("/").pop() as string;
    const flow = await json(`/api/v1/scenarios/${id}/flow`, { key: org.key, expect: 200 });
    expect(flow.entry).toEqual({
      type: "event",
      event: "custom",
      name: "cart_abandoned",
      dedup_key: "cart_id",
    });
    expect(flow.goal).toEqual({ event: "purchase" });
    await browser.get(`/app/scenarios/${id}`);
    expect(browser.last).toContain('data-node-id="bought"');
    expect(browser.last).toContain('id="journey-data"');
  });
});
