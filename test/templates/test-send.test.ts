import { describe, expect, it } from "vitest";
import { createOrg, json } from "../helpers/api";
import { drainSend, useScenarioQueues } from "../helpers/scenario";

const q = useScenarioQueues();

describe("POST /api/v1/templates/:id/test-send", () => {
  it("renders for the chosen contact, sends to team members only with [Test], through the log provider", async () => {
    const org = await createOrg();
    const other = await createOrg();
    await json("/api/v1/users", {
      key: org.key,
      body: { name: "Léa", email: "lea@shop.example" },
      expect: 201,
    });
    const contact = await json<{ id: string }>("/api/v1/contacts", {
      key: org.key,
      body: { email: "jeanne@client.example", first_name: "Jeanne" },
      expect: 201,
    });
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: { gallery_id: "welcome-fr" },
      expect: 201,
    });
    const res = await json<{ message_ids: string[] }>(`/api/v1/templates/${t.id}/test-send`, {
      key: org.key,
      body: { emails: ["Lea@Shop.example"], contact_id: contact.id },
      expect: 202,
    });
    expect(res.message_ids).toHaveLength(1);
    expect(await drainSend(q)).toBe(1);
    const msg = await json<{ status: string; subject: string; to_email: string; provider: string }>(
      `/api/v1/messages/${res.message_ids[0]}`,
      { key: org.key },
    );
    expect(msg).toMatchObject({
      status: "sent",
      subject: "[Test] Bienvenue, Jeanne",
      to_email: "lea@shop.example",
      provider: "log",
    });
    const raw = (await json<{ raw: string }>(`/api/v1/messages/${res.message_ids[0]}`, { key: org.key })).raw;
    expect(raw).toContain("Bienvenue, Jeanne");
    // No contact was made for the team member.
    expect(
      (await json<{ items: unknown[] }>("/api/v1/contacts?email=lea@shop.example", { key: org.key })).items,
    ).toEqual([]);
    // Someone else, another organization's template, a contact of another organization.
    const stranger = await json(`/api/v1/templates/${t.id}/test-send`, {
      key: org.key,
      body: { emails: ["lea@shop.example", "boss@elsewhere.example"] },
      expect: 422,
    });
    expect(JSON.stringify(stranger)).toContain("emails.1");
    await json(`/api/v1/templates/${t.id}/test-send`, {
      key: other.key,
      body: { emails: ["lea@shop.example"] },
      expect: 404,
    });
    const theirs = await json<{ id: string }>("/api/v1/contacts", {
      key: other.key,
      body: { email: "x@y.example" },
      expect: 201,
    });
    await json(`/api/v1/templates/${t.id}/test-send`, {
      key: org.key,
      body: { emails: ["lea@shop.example"], contact_id: theirs.id },
      expect: 404,
    });
  });
});
