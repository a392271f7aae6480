import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Tenant } from "../../src/lib/tenant";
import {
  ACTIVATE_AHEAD_MS,
  ACTIVATIONS_PER_SECOND,
  activatePage,
  activationMessages,
  SEND_BACKLOG_LIMIT,
} from "../../src/services/scenarios/activation";
import { CaptureQueue } from "../helpers/scenario";

const tenant = { orgId: "org_x" } as Tenant;
const rows = (n: number, due: number) =>
  Array.from({ length: n }, (_, i) => ({ contact_id: `ct_${String(i).padStart(6, "0")}`, next_run_at: due }));

describe("activation pace", () => {
  it("spreads a scan's objects at ACTIVATIONS_PER_SECOND: 10,000 due now take 50 s, not one burst", () => {
    const at = 1_800_000_000_000;
    const delays = activationMessages(tenant, "scn_x", rows(10_000, at), at, { from: at, before: 0 }).map(
      (m) => m.delaySeconds ?? 0,
    );
    expect(delays).toHaveLength(100);
    expect(delays[0]).toBe(0);
    // chunk k of 100 contacts leaves k * 100 / rate seconds after the scan started
    expect(delays).toEqual(delays.map((_, k) => Math.ceil((k * 100) / ACTIVATIONS_PER_SECOND)));
    expect(delays.at(-1)).toBe(50);
  });

  it("a continuation goes on from the scan's place: its first chunk waits for the contacts before it", () => {
    const from = 1_800_000_000_000;
    const at = from + 4_000; // the continuation runs 4 s after the scan started
    const msgs = activationMessages(tenant, "scn_x", rows(1_000, at), at, { from, before: 10_000 });
    // contact 10,000 of the scan is due 50 s after its start: 46 s from now
    expect(msgs[0]?.delaySeconds).toBe(46);
    expect(msgs.at(-1)?.delaySeconds).toBe(46 + Math.ceil((900 * 1000) / ACTIVATIONS_PER_SECOND / 1000));
  });

  it("a first step 20 hours away waits for its activation window, then for its place", () => {
    const at = 1_800_000_000_000;
    const due = at + 20 * 3_600_000;
    const msgs = activationMessages(tenant, "scn_x", rows(1_000, due), at, { from: at, before: 0 });
    const window = (due - ACTIVATE_AHEAD_MS - at) / 1000;
    expect(msgs[0]?.delaySeconds).toBe(window);
    expect(msgs.at(-1)?.delaySeconds).toBe(window + Math.ceil(900 / ACTIVATIONS_PER_SECOND));
  });

  it("listed contacts (a signup) are not paced: all due now go at once", () => {
    const at = 1_800_000_000_000;
    const msgs = activationMessages(tenant, "scn_x", rows(300, at), at);
    expect(msgs.map((m) => m.delaySeconds ?? 0)).toEqual([0, 0, 0]);
    expect(msgs.every((m) => m.body.paced === undefined)).toBe(true);
  });

  it("a scan's activation holds back while SEND has more than SEND_BACKLOG_LIMIT ready, 20 times at most", async () => {
    const held = new CaptureQueue();
    let backlog = SEND_BACKLOG_LIMIT + 1;
    const sendQueue = { metrics: async () => ({ backlogCount: backlog, backlogBytes: 0 }) };
    const heldEnv = { ...env, ENROLL_QUEUE: held, SEND_QUEUE: sendQueue } as unknown as Env;
    const body = {
      kind: "activate" as const,
      scenario_id: "scn_gone",
      organization_id: "org_gone",
      contact_ids: ["ct_1"],
      due_at: Date.now(),
      paced: true,
    };
    expect(await activatePage(heldEnv, body)).toEqual([]);
    expect(held.take()).toEqual([{ body: { ...body, holds: 1 }, delaySeconds: 5 }]);
    await activatePage(heldEnv, { ...body, holds: 12 });
    expect(held.take()).toEqual([{ body: { ...body, holds: 13 }, delaySeconds: 60 }]);
    // After 20 holds, or once SEND is back under the limit, or for listed contacts: it goes ahead.
    await activatePage(heldEnv, { ...body, holds: 20 });
    await activatePage(heldEnv, { ...body, paced: undefined });
    backlog = SEND_BACKLOG_LIMIT;
    await activatePage(heldEnv, body);
    expect(held.take()).toEqual([]);
  });
});
