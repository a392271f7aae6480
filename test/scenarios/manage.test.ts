import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import {
  createContact,
  createScenario,
  drainEnroll,
  entry,
  fixture,
  putSteps,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();

const sequencesOf = async (scenarioId: string) =>
  (
    await env.DB.prepare("SELECT contact_id FROM contact_sequences WHERE scenario_id = ? ORDER BY contact_id")
      .bind(scenarioId)
      .all<{ contact_id: string }>()
  ).results.map((r) => r.contact_id);

describe("scenarios: segment targeting", () => {
  it("segment_id restricts who enters at start, and a contact who comes to match later enters too", async () => {
    const f = await fixture(1);
    const vip = await createContact(f, { email: "vip@x.example", tags: ["vip"] });
    const plain = await createContact(f, { email: "plain@x.example" });
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "VIP",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "vip" }] },
      },
      expect: 201,
    });
    const s = await createScenario(f, { segment_id: seg.id });
    await putSteps(f, s.id, [entry(f.templates[0] as string)]);
    await transition(f, s.id, "start");
    await drainEnroll(q);
    expect(await sequencesOf(s.id)).toEqual([vip.id]);
    expect((await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).progress).toMatchObject({
      eligible: 1,
      enrolled: 1,
    });
    // Tagged later: enters. A new matching contact enters; a new non-matching one does not.
    await json(`/api/v1/contacts/${plain.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { tags: ["vip"] },
      expect: 200,
    });
    const late = await createContact(f, { email: "late@x.example", tags: ["vip"] });
    await createContact(f, { email: "never@x.example" });
    await drainEnroll(q);
    expect(await sequencesOf(s.id)).toEqual([vip.id, plain.id, late.id].sort());
    await json("/api/v1/scenarios", {
      key: f.org.key,
      body: { name: "x", from_email: "a@b.example", segment_id: "seg_missing" },
      expect: 404,
    });
  });
});

describe("scenarios: edit, duplicate, delete, start checks", () => {
  it("PATCH changes a scenario; who enters and how mail leaves are frozen while active (409)", async () => {
    const f = await fixture(1);
    await createContact(f, { email: "a@x.example" });
    const s = await createScenario(f);
    await putSteps(f, s.id, [entry(f.templates[0] as string)]);
    const renamed = await json(`/api/v1/scenarios/${s.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { name: "Renamed", daily_cap: 10, from_email: "other@sender.example" },
      expect: 200,
    });
    expect(renamed).toMatchObject({
      name: "Renamed",
      daily_cap: 10,
      from_email: "other@sender.example",
      status: "draft",
    });
    await transition(f, s.id, "start");
    const frozen = await json(`/api/v1/scenarios/${s.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { exclude_domains: ["x.example"], provider: "ses" },
      expect: 409,
    });
    expect(frozen.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      "exclude_domains",
      "provider",
    ]);
    await json(`/api/v1/scenarios/${s.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { name: "Live" },
      expect: 200,
    });
    await json(`/api/v1/scenarios/${s.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { send_window_start: "18:00", send_window_end: "09:00" },
      expect: 422,
    });
    // Delete needs draft or stopped.
    await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, method: "DELETE", expect: 409 });
    const copy = await json(`/api/v1/scenarios/${s.id}/duplicate`, {
      key: f.org.key,
      method: "POST",
      expect: 201,
    });
    expect(copy).toMatchObject({ status: "draft", name: "Live (copy)", steps_version: 1 });
    expect(copy.steps.map((x: { template_id: string }) => x.template_id)).toEqual([f.templates[0]]);
    await transition(f, s.id, "stop");
    await drainEnroll(q);
    await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, method: "DELETE", expect: 204 });
    await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key, expect: 404 });
    expect(await sequencesOf(s.id)).toEqual([]);
  });

  it("start answers 422 PROVIDER_NOT_CONFIGURED without the account, SEGMENT_TOO_LARGE above max_audience", async () => {
    const f = await fixture(1);
    for (let i = 0; i < 3; i++) await createContact(f, { email: `p${i}@x.example` });
    const ses = await createScenario(f, { provider: "ses" });
    await putSteps(f, ses.id, [entry(f.templates[0] as string)]);
    expect((await transition(f, ses.id, "start", 422)).error.code).toBe("PROVIDER_NOT_CONFIGURED");
    await json("/api/v1/settings/audience", {
      key: f.org.key,
      method: "PUT",
      body: { max_audience: 2 },
      expect: 200,
    });
    const big = await createScenario(f);
    await putSteps(f, big.id, [entry(f.templates[0] as string)]);
    expect((await transition(f, big.id, "start", 422)).error.code).toBe("SEGMENT_TOO_LARGE");
    expect((await json(`/api/v1/scenarios/${big.id}`, { key: f.org.key })).status).toBe("draft");
  });

  it("a send window that is not HH:MM is a 422 naming the field, never a 500", async () => {
    const f = await fixture(0);
    for (const body of [
      { send_window_start: "9am" },
      { send_window_end: "25:99" },
      { send_window_start: "9am", send_window_end: "5pm" },
    ]) {
      const res = await json("/api/v1/scenarios", {
        key: f.org.key,
        body: { name: "w", from_email: "a@b.example", ...body },
        expect: 422,
      });
      expect(res.error.details[0].field).toMatch(/^send_window_(start|end)$/);
    }
  });
});
