import { describe, expect, it } from "vitest";
import { localDay, zonedInstant } from "../../src/lib/timezone";
import { nextAllowed, nextLocalMidnight, windowOf } from "../../src/services/scenarios/planning";
import { chooseVariant, draw, pickWeighted } from "../../src/services/scenarios/variants";

const Z = (iso: string) => Date.parse(iso);
const at = (t: number) => new Date(t).toISOString();
const weekdays = ["mon", "tue", "wed", "thu", "fri"];

describe("send window across DST", () => {
  it("Europe/Paris, spring forward (2031-03-30): 09:00 stays 09:00 local on both sides", () => {
    const w = windowOf({ timezone: "Europe/Paris", start: "09:00", end: "17:30", days: weekdays });
    // Friday 18:00 CET is past the window: Monday 09:00 CEST (UTC+2) is 07:00Z, not 08:00Z.
    expect(at(nextAllowed(Z("2031-03-28T17:00:00Z"), w))).toBe("2031-03-31T07:00:00.000Z");
    // Friday morning before the change: 09:00 CET is 08:00Z.
    expect(at(nextAllowed(Z("2031-03-28T06:30:00Z"), w))).toBe("2031-03-28T08:00:00.000Z");
    // Inside the window: unchanged.
    expect(at(nextAllowed(Z("2031-03-31T14:00:00Z"), w))).toBe("2031-03-31T14:00:00.000Z");
    // 17:30 CEST is 15:30Z: at 15:30Z the window is closed (end exclusive), next is Tuesday 07:00Z.
    expect(at(nextAllowed(Z("2031-03-31T15:30:00Z"), w))).toBe("2031-04-01T07:00:00.000Z");
  });

  it("Europe/Paris, fall back (2031-10-26): Sunday 09:00 CET is 08:00Z, Saturday's was 07:00Z", () => {
    const w = windowOf({ timezone: "Europe/Paris", start: "09:00", end: "17:00", days: null });
    expect(at(nextAllowed(Z("2031-10-25T05:00:00Z"), w))).toBe("2031-10-25T07:00:00.000Z");
    expect(at(nextAllowed(Z("2031-10-25T16:00:00Z"), w))).toBe("2031-10-26T08:00:00.000Z");
  });

  it("America/New_York, both changes (2031-03-09, 2031-11-02)", () => {
    const w = windowOf({ timezone: "America/New_York", start: "09:00", end: "17:00", days: null });
    expect(at(nextAllowed(Z("2031-03-08T01:00:00Z"), w))).toBe("2031-03-08T14:00:00.000Z"); // EST
    expect(at(nextAllowed(Z("2031-03-08T23:00:00Z"), w))).toBe("2031-03-09T13:00:00.000Z"); // EDT
    expect(at(nextAllowed(Z("2031-11-01T23:00:00Z"), w))).toBe("2031-11-02T14:00:00.000Z"); // EST again
  });

  it("send days skip to the next allowed day in the zone, not in UTC", () => {
    // Monday 00:30 in Paris is still Sunday in UTC: Monday is allowed, so 09:00 Monday.
    const w = windowOf({ timezone: "Europe/Paris", start: "09:00", end: "17:00", days: ["mon"] });
    expect(at(nextAllowed(Z("2031-04-06T22:30:00Z"), w))).toBe("2031-04-07T07:00:00.000Z");
    // New York Friday 20:00 is Saturday in UTC; only Saturdays allowed: Saturday 09:00 EDT.
    const ny = windowOf({ timezone: "America/New_York", start: "09:00", end: "17:00", days: ["sat"] });
    expect(at(nextAllowed(Z("2031-04-05T00:00:00Z"), ny))).toBe("2031-04-05T13:00:00.000Z");
  });

  it("wall times in the spring gap resolve to the end of the gap; repeated ones to the first occurrence", () => {
    expect(at(zonedInstant(2031, 3, 30, 150, "Europe/Paris"))).toBe("2031-03-30T01:00:00.000Z"); // 02:30 -> 03:00 CEST
    expect(at(zonedInstant(2031, 3, 9, 150, "America/New_York"))).toBe("2031-03-09T07:00:00.000Z"); // 02:30 -> 03:00 EDT
    expect(at(zonedInstant(2031, 10, 26, 150, "Europe/Paris"))).toBe("2031-10-26T00:30:00.000Z"); // 02:30 CEST, first
    expect(at(zonedInstant(2031, 11, 2, 90, "America/New_York"))).toBe("2031-11-02T05:30:00.000Z"); // 01:30 EDT, first
    const w = windowOf({ timezone: "Europe/Paris", start: "02:30", end: "04:00", days: null });
    expect(at(nextAllowed(Z("2031-03-29T23:00:00Z"), w))).toBe("2031-03-30T01:00:00.000Z");
  });

  it("the cap's local day and next local midnight follow the zone's offset of that day", () => {
    expect(localDay(Z("2031-03-29T23:30:00Z"), "Europe/Paris")).toBe("2031-03-30");
    expect(localDay(Z("2031-03-29T23:30:00Z"), "America/New_York")).toBe("2031-03-29");
    expect(at(nextLocalMidnight(Z("2031-03-29T11:00:00Z"), "Europe/Paris"))).toBe("2031-03-29T23:00:00.000Z");
    expect(at(nextLocalMidnight(Z("2031-03-30T11:00:00Z"), "Europe/Paris"))).toBe("2031-03-30T22:00:00.000Z");
  });

  it("no window and no days: any instant is allowed", () => {
    const w = windowOf({ timezone: null, start: null, end: null, days: null });
    expect(nextAllowed(123_456, w)).toBe(123_456);
  });
});

describe("weighted variant choice", () => {
  const shares = async (weights: number[], n = 10_000) => {
    const items = weights.map((weight, i) => ({ name: `V${i}`, weight }));
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const v = pickWeighted(items, await draw(`scn_split:ct_${i}:1`));
      counts.set(v.name, (counts.get(v.name) ?? 0) + 1);
    }
    return items.map((it) => (counts.get(it.name) ?? 0) / n);
  };

  it("60/40 and 70/30 splits stay within 2 points over 10,000 draws (4 standard deviations)", async () => {
    const [a, b] = await shares([60, 40]);
    expect(Math.abs((a ?? 0) - 0.6)).toBeLessThan(0.02);
    expect(Math.abs((b ?? 0) - 0.4)).toBeLessThan(0.02);
    const [c] = await shares([70, 30]);
    expect(Math.abs((c ?? 0) - 0.7)).toBeLessThan(0.02);
    const three = await shares([1, 1, 2]);
    expect(three.map((x) => Math.round(x * 100) / 100)).toEqual([
      expect.closeTo(0.25, 1),
      expect.closeTo(0.25, 1),
      expect.closeTo(0.5, 1),
    ]);
  });

  it("is deterministic per (sequence, step): a retry never changes the variant", async () => {
    const variants = [
      { id: "v1", name: "A", template_id: "t1", weight: 50 },
      { id: "v2", name: "B", template_id: "t2", weight: 50 },
    ];
    const first = await Promise.all(
      Array.from({ length: 50 }, (_, i) => chooseVariant("scn_1", `ct_${i}`, 2, variants)),
    );
    const again = await Promise.all(
      Array.from({ length: 50 }, (_, i) => chooseVariant("scn_1", `ct_${i}`, 2, variants)),
    );
    expect(again.map((v) => v.name)).toEqual(first.map((v) => v.name));
    expect(new Set(first.map((v) => v.name))).toEqual(new Set(["A", "B"]));
  });
});
