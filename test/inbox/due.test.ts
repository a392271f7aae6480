import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { startOfLocalDay } from "../../src/services/inbox/due";
import { json } from "../helpers/api";
import { createInteraction, createTeam, inboxTitles, type TestTeam } from "../helpers/inbox";

const sorted = async (p: Promise<string[]>) => (await p).sort();

describe("due buckets follow the user's time zone", () => {
  // 22:30 UTC on Monday 15 June 2026: already Tuesday 00:30 in Paris (UTC+2), still Monday 15:30
  // in Los Angeles (UTC-7).
  const NOW = Date.parse("2026-06-15T22:30:00Z");
  let team: TestTeam;

  beforeAll(async () => {
    setClock(Date.parse("2026-06-01T00:00:00Z"));
    team = await createTeam();
    const items: [string, string | null][] = [
      ["A", "2026-06-15T21:00:00Z"], // Paris: Mon 23:00 (yesterday); LA: Mon 14:00; overdue
      ["B", "2026-06-15T22:45:00Z"], // Paris: Tue 00:45; LA: Mon 15:45
      ["C", "2026-06-16T06:30:00Z"], // Paris: Tue 08:30; LA: Mon 23:30; UTC: Tue
      ["D", "2026-06-16T07:30:00Z"], // Paris: Tue 09:30; LA: Tue 00:30
      ["E", "2026-06-21T23:00:00Z"], // Paris: Mon 22 01:00; LA: Sun 21 16:00; UTC: Sun 21
      ["F", "2026-06-22T21:30:00Z"], // Paris: Mon 22 23:30 (day 7 of Paris' week); LA and UTC: day 8
      ["G", null],
    ];
    for (const [title, next] of items) await createInteraction(team.org.key, { title, next_action_at: next });
    setClock(NOW);
  });
  afterAll(() => resetClock());

  it("Europe/Paris (the key's user): today starts at Paris midnight", async () => {
    expect(await sorted(inboxTitles(team.ada.key, "due=today"))).toEqual(["B", "C", "D"]);
    expect(await sorted(inboxTitles(team.ada.key, "due=week"))).toEqual(["B", "C", "D", "E", "F"]);
  });

  it("America/Los_Angeles: the same instant is still Monday", async () => {
    expect(await sorted(inboxTitles(team.bob.key, "due=today"))).toEqual(["A", "B", "C"]);
    expect(await sorted(inboxTitles(team.bob.key, "due=week"))).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("a user without a time zone, or a key bound to nobody, gets UTC days", async () => {
    expect(await sorted(inboxTitles(team.cy.key, "due=today"))).toEqual(["A", "B"]);
    expect(await sorted(inboxTitles(team.org.key, "due=today"))).toEqual(["A", "B"]);
    expect(await sorted(inboxTitles(team.org.key, "due=week"))).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("?timezone= overrides the user's zone", async () => {
    expect(await sorted(inboxTitles(team.org.key, "due=today&timezone=Europe/Paris"))).toEqual([
      "B",
      "C",
      "D",
    ]);
    expect(await sorted(inboxTitles(team.ada.key, "due=today&timezone=America/Los_Angeles"))).toEqual([
      "A",
      "B",
      "C",
    ]);
  });

  it("overdue is the same instant everywhere; all includes items without a next action", async () => {
    expect(await inboxTitles(team.ada.key, "due=overdue")).toEqual(["A"]);
    expect(await inboxTitles(team.bob.key, "due=overdue")).toEqual(["A"]);
    expect(await inboxTitles(team.ada.key, "due=all")).toEqual(["A", "B", "C", "D", "E", "F", "G"]);
  });

  it("the buckets move when local midnight passes", async () => {
    // 23:59:59 in Paris on Monday: B (Tuesday 00:45) is tomorrow, A (Monday 23:00) is today.
    setClock(Date.parse("2026-06-15T21:59:59Z"));
    expect(await sorted(inboxTitles(team.ada.key, "due=today"))).toEqual(["A"]);
    // One second later it is Tuesday in Paris.
    setClock(Date.parse("2026-06-15T22:00:00Z"));
    expect(await sorted(inboxTitles(team.ada.key, "due=today"))).toEqual(["B", "C", "D"]);
    // Los Angeles' Monday ends at 07:00 UTC: then D is today there, A, B and C are not.
    setClock(Date.parse("2026-06-16T07:00:00Z"));
    expect(await sorted(inboxTitles(team.bob.key, "due=today"))).toEqual(["D"]);
    setClock(NOW);
  });

  it("a user's time zone change applies to the next request", async () => {
    const { env } = await import("cloudflare:workers");
    await env.DB.prepare("UPDATE users SET timezone = 'Pacific/Auckland' WHERE id = ?")
      .bind(team.cy.id)
      .run();
    // 22:30 UTC = Tuesday 10:30 in Auckland (UTC+12): Tuesday there began at 12:00 UTC on Monday.
    expect(await sorted(inboxTitles(team.cy.key, "due=today"))).toEqual(["A", "B", "C", "D"]);
  });
});

describe("due buckets across a DST change", () => {
  it("the spring-forward day in Paris is 23 hours long", async () => {
    // 29 March 2026: Paris goes from UTC+1 to UTC+2 at 02:00 local.
    setClock(Date.parse("2026-03-20T00:00:00Z"));
    const team = await createTeam();
    await createInteraction(team.org.key, { title: "late-sunday", next_action_at: "2026-03-29T21:30:00Z" }); // 23:30 CEST
    await createInteraction(team.org.key, { title: "monday-0030", next_action_at: "2026-03-29T22:30:00Z" }); // Mon 00:30 CEST
    await createInteraction(team.org.key, { title: "saturday-2330", next_action_at: "2026-03-28T22:30:00Z" }); // Sat 23:30 CET
    setClock(Date.parse("2026-03-29T10:00:00Z"));
    expect(await inboxTitles(team.ada.key, "due=today")).toEqual(["late-sunday"]);
    expect(startOfLocalDay(Date.parse("2026-03-29T10:00:00Z"), "Europe/Paris")).toBe(
      Date.parse("2026-03-28T23:00:00Z"),
    );
    expect(startOfLocalDay(Date.parse("2026-03-29T10:00:00Z"), "Europe/Paris", 1)).toBe(
      Date.parse("2026-03-29T22:00:00Z"),
    );
    // Autumn: 25 October 2026 is 25 hours long.
    expect(
      startOfLocalDay(Date.parse("2026-10-25T12:00:00Z"), "Europe/Paris", 1) -
        startOfLocalDay(Date.parse("2026-10-25T12:00:00Z"), "Europe/Paris"),
    ).toBe(25 * 3_600_000);
    resetClock();
  });

  it("zones ahead of UTC by more than 12 hours and with half-hour offsets", () => {
    const t = Date.parse("2026-06-15T12:00:00Z");
    expect(startOfLocalDay(t, "Pacific/Kiritimati")).toBe(Date.parse("2026-06-15T10:00:00Z")); // UTC+14: 16 June 02:00
    expect(startOfLocalDay(t, "Asia/Kolkata")).toBe(Date.parse("2026-06-14T18:30:00Z"));
    expect(startOfLocalDay(t, "UTC")).toBe(Date.parse("2026-06-15T00:00:00Z"));
  });

  it("the team member's time zone is validated when set", async () => {
    const team = await createTeam();
    await json("/api/v1/users", {
      key: team.org.key,
      body: { name: "Z", email: "z@t.test", timezone: "Nowhere/Land" },
      expect: 422,
    });
  });
});
