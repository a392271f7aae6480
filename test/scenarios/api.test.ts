import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { call, createOrg, json } from "../helpers/api";
import {
  createContact,
  createScenario,
  drainEnroll,
  fixture,
  putSteps,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.UTC(2031, 0, 6, 8, 0); // a Monday, far from the real clock: no alarm fires by itself

const step = (order: number, trigger: string, template: string, extra: Record<string, unknown> = {}) => ({
  step_order: order,
  name: `Step ${order}`,
  trigger,
  template_id: template,
  ...extra,
});

describe("scenario API", () => {
  it("creates a draft with its constraints, filters and flags", async () => {
    const f = await fixture(1);
    const s = await json("/api/v1/scenarios", {
      key: f.org.key,
      body: {
        name: "Onboarding",
        provider: "log",
        from_email: "news@sender.example",
        daily_cap: 500,
        cooldown_days: 2,
        send_window_start: "09:00",
        send_window_end: "17:30",
        send_days: ["mon", "tue", "wed"],
        timezone: "Europe/Paris",
        min_validation_score: 70,
        only_deliverable: true,
        exclude_domains: ["Competitor.com"],
        stop_on_reply: false,
      },
      expect: 201,
    });
    expect(s).toMatchObject({
      status: "draft",
      daily_cap: 500,
      cooldown_days: 2,
      send_window_start: "09:00",
      send_window_end: "17:30",
      send_days: ["mon", "tue", "wed"],
      timezone: "Europe/Paris",
      exclude_domains: ["competitor.com"],
      stop_on_reply: false,
      stop_on_unsubscribe: true,
      include_unsubscribe: true,
      steps: [],
      sequences: { active: 0, completed: 0, stopped: 0, failed: 0 },
      progress: { enrolled: 0, eligible: 0, complete: false },
    });
    const list = await json(`/api/v1/scenarios?limit=1`, { key: f.org.key, expect: 200 });
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([s.id]);
  });

  it("every scenario route is in the OpenAPI document", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>("/openapi.json", { expect: 200 });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/scenarios",
        "/api/v1/scenarios/{id}",
        "/api/v1/scenarios/{id}/steps",
        "/api/v1/scenarios/{id}/start",
        "/api/v1/scenarios/{id}/pause",
        "/api/v1/scenarios/{id}/resume",
        "/api/v1/scenarios/{id}/stop",
        "/api/v1/scenarios/{id}/sequences",
        "/api/v1/scenarios/{id}/simulate",
      ]),
    );
  });

  it("rejects bad scenario input with 422 naming the field, never a 500", async () => {
    const f = await fixture(0);
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await json("/api/v1/scenarios", {
        key: f.org.key,
        body: { name: "x", from_email: "a@b.example", ...body },
        expect: 422,
      });
      expect(res.error.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await bad({ send_window_start: "18:00", send_window_end: "09:00" }, "send_window_end");
    await bad({ send_window_start: "25:00" }, "send_window_start");
    await bad({ send_days: ["monday"] }, "send_days.0");
    await bad({ timezone: "Mars/Olympus" }, "timezone");
    await bad({ daily_cap: 0 }, "daily_cap");
    await bad({ from_email: "nope" }, "from_email");
    expect((await call("/api/v1/scenarios?limit=0", { key: f.org.key })).status).toBe(400);
  });

  it("rejects inconsistent steps with 422 STEPS_INVALID and the reason", async () => {
    const f = await fixture(1);
    const [t] = f.templates as [string];
    const s = await createScenario(f);
    const reasons = async (steps: unknown[]) => {
      const res = await putSteps(f, s.id, steps, 422);
      expect(res.error.code).toBe("STEPS_INVALID");
      return res.error.details.map((d: { message: string }) => d.message).join(" | ");
    };
    expect(
      await reasons([
        step(1, "entry", t),
        step(2, "delay", t, { parent_step_order: 3 }),
        step(3, "delay", t, { parent_step_order: 2 }),
      ]),
    ).toMatch(/cycle/);
    expect(await reasons([step(1, "entry", t), step(2, "opened", t, { parent_step_order: 9 })])).toMatch(
      /parent step 9 does not exist/,
    );
    expect(await reasons([step(1, "entry", t, { parent_step_order: 1 })])).toMatch(
      /entry step has no parent/,
    );
    expect(await reasons([step(1, "entry", t), step(2, "not_opened", t)])).toMatch(/must name its parent/);
    expect(
      await reasons([
        step(1, "entry", t, {
          variants: [
            { name: "A", template_id: t, weight: 60 },
            { name: "B", template_id: t, weight: 0 },
          ],
        }),
      ]),
    ).toMatch(/weight must be a positive number/);
    expect(await reasons([step(1, "entry", "tpl_unknown")])).toMatch(/template tpl_unknown not found/);
    // Nothing was written by the failed attempts.
    expect((await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).steps_version).toBe(0);
  });

  it("versions the steps: each PUT is a new version, the old one stays readable", async () => {
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const s = await createScenario(f);
    const v1 = await putSteps(f, s.id, [
      step(1, "entry", a, {
        variants: [
          { name: "A", template_id: a, weight: 60 },
          { name: "B", template_id: b, weight: 40 },
        ],
      }),
      step(2, "not_opened", b, { parent_step_order: 1, delay_days: 2, delay_hours: 3, delay_minutes: 4 }),
    ]);
    expect(v1.steps_version).toBe(1);
    expect(v1.steps[1]).toMatchObject({
      trigger: "not_opened",
      parent_step_order: 1,
      delay_days: 2,
      delay_hours: 3,
      delay_minutes: 4,
    });
    expect(v1.steps[0].variants.map((v: { name: string; weight: number }) => [v.name, v.weight])).toEqual([
      ["A", 60],
      ["B", 40],
    ]);
    expect(v1.steps[0].variants[0]).toMatchObject({
      sent: 0,
      opened: 0,
      clicked: 0,
      open_rate: 0,
      click_rate: 0,
    });
    const v2 = await putSteps(f, s.id, [step(1, "entry", b)]);
    expect(v2.steps_version).toBe(2);
    expect(v2.steps[0].variants).toEqual([
      expect.objectContaining({ name: "default", template_id: b, weight: 1 }),
    ]);
    const old = await json(`/api/v1/scenarios/${s.id}?version=1`, { key: f.org.key, expect: 200 });
    expect(old.steps).toHaveLength(2);
  });

  it("transitions: start -> pause -> resume -> stop; anything else is 409", async () => {
    setClock(T0);
    const f = await fixture(1);
    const s = await createScenario(f);
    expect((await transition(f, s.id, "start", 422)).error.code).toBe("STEPS_INVALID"); // no steps yet
    await putSteps(f, s.id, [step(1, "entry", f.templates[0] as string)]);
    for (const t of ["pause", "resume"] as const)
      expect((await transition(f, s.id, t, 409)).error.code).toBe("ILLEGAL_TRANSITION");
    expect((await transition(f, s.id, "start")).status).toBe("active");
    expect((await transition(f, s.id, "start", 409)).error.code).toBe("ILLEGAL_TRANSITION");
    expect((await transition(f, s.id, "resume", 409)).error.code).toBe("ILLEGAL_TRANSITION");
    expect((await transition(f, s.id, "pause")).status).toBe("paused");
    expect((await transition(f, s.id, "pause", 409)).error.code).toBe("ILLEGAL_TRANSITION");
    expect((await transition(f, s.id, "resume")).status).toBe("active");
    expect((await transition(f, s.id, "stop")).status).toBe("stopped");
    for (const t of ["start", "pause", "resume", "stop"] as const) await transition(f, s.id, t, 409);
    expect((await putSteps(f, s.id, [step(1, "entry", f.templates[0] as string)], 409)).error.code).toBe(
      "ILLEGAL_TRANSITION",
    );
    await drainEnroll(q);
  });

  it("another organization's scenario answers 404 everywhere", async () => {
    const f = await fixture(1);
    const s = await createScenario(f);
    const other = await createOrg();
    for (const [method, path] of [
      ["GET", ""],
      ["GET", "/sequences"],
      ["POST", "/start"],
      ["POST", "/stop"],
    ] as const) {
      const res = await call(`/api/v1/scenarios/${s.id}${path}`, { key: other.key, method });
      expect(res.status).toBe(404);
    }
    const put = await call(`/api/v1/scenarios/${s.id}/steps`, {
      key: other.key,
      method: "PUT",
      body: { steps: [step(1, "entry", f.templates[0] as string)] },
    });
    expect(put.status).toBe(404);
  });

  it("start enrolls every eligible contact once, through ENROLL pages, and shows progress", async () => {
    setClock(T0);
    const f = await fixture(1);
    const ok = await createContact(f, { email: "ok@example.com", validation_score: 90, deliverable: true });
    await createContact(f, { email: "low@example.com", validation_score: 10, deliverable: true });
    await createContact(f, { email: "undeliverable@example.com", validation_score: 90, deliverable: false });
    await createContact(f, { email: "blocked@competitor.com", validation_score: 90, deliverable: true });
    const gone = await createContact(f, {
      email: "gone@example.com",
      validation_score: 90,
      deliverable: true,
    });
    await json(`/api/v1/contacts/${gone.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { status: "unsubscribed" },
      expect: 200,
    });
    const s = await createScenario(f, {
      min_validation_score: 50,
      only_deliverable: true,
      exclude_domains: ["competitor.com"],
    });
    await putSteps(f, s.id, [step(1, "entry", f.templates[0] as string)]);
    const started = await transition(f, s.id, "start");
    expect(started.progress).toEqual({ enrolled: 0, eligible: 1, complete: false });
    expect(q.enroll.messages.map((m) => m.body)).toEqual([
      { scenario_id: s.id, organization_id: f.org.id, after_contact_id: null },
    ]);
    await drainEnroll(q);
    const detail = await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, expect: 200 });
    expect(detail.progress).toEqual({ enrolled: 1, eligible: 1, complete: true });
    expect(detail.sequences).toEqual({ active: 1, completed: 0, stopped: 0, failed: 0 });
    const seqs = await json(`/api/v1/scenarios/${s.id}/sequences`, { key: f.org.key, expect: 200 });
    expect(seqs.items).toEqual([
      expect.objectContaining({
        contact_id: ok.id,
        status: "active",
        current_step_order: null,
        next_run_at: new Date(T0).toISOString(),
        steps_version: 1,
      }),
    ]);
    expect(seqs.next_cursor).toBeNull();
    // A second delivery of the first page enrolls nobody twice.
    await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key });
    q.enroll.messages.push({
      body: { scenario_id: s.id, organization_id: f.org.id, after_contact_id: null },
    });
    await drainEnroll(q);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM contact_sequences WHERE scenario_id = ?")
      .bind(s.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    expect((await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).progress).toEqual({
      enrolled: 1,
      eligible: 1,
      complete: true,
    });
  });

  it("a contact created (or imported) while the scenario is active enters it when it matches", async () => {
    setClock(T0);
    const f = await fixture(1);
    const s = await createScenario(f, { min_validation_score: 50 });
    await putSteps(f, s.id, [step(1, "entry", f.templates[0] as string)]);
    await transition(f, s.id, "start");
    await drainEnroll(q);
    const late = await createContact(f, { email: "late@example.com", validation_score: 80 });
    await createContact(f, { email: "late-low@example.com", validation_score: 20 });
    const csv = "email,first_name\nimported@example.com,Imp\n";
    await json("/api/v1/contacts/import", { key: f.org.key, raw: csv, contentType: "text/csv", expect: 200 });
    await drainEnroll(q);
    const seqs = await json(`/api/v1/scenarios/${s.id}/sequences`, { key: f.org.key, expect: 200 });
    // The import row has no validation score: it does not match min_validation_score.
    expect(seqs.items.map((i: { contact_id: string }) => i.contact_id)).toEqual([late.id]);
    expect((await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).progress).toEqual({
      enrolled: 1,
      eligible: 1,
      complete: true,
    });
  });
});
