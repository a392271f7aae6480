/**
 * GET /scenarios/:id/flow: the journey of the current version as a graph (a steps journey read as
 * one), with its version, who wrote it, and the per-node stats; version 0 (nothing written yet)
 * has no nodes.
 */
import type { Tenant } from "../../../lib/tenant";
import { getScenario } from "../store";
import { flowStats } from "./stats";
import { loadFlow } from "./store";

export async function flowView(tenant: Tenant, scenarioId: string) {
  const scenario = await getScenario(tenant, scenarioId);
  const v = await loadFlow(tenant, scenario, scenario.stepsVersion);
  const stats = await flowStats(tenant, scenarioId, v.flow);
  if (v.source === "steps")
    // A steps sequence keeps no path: its email nodes count their sends.
    for (const id of Object.keys(v.flow.orders)) {
      const s = stats.nodes[id];
      if (s) s.entered = Math.max(s.entered, s.sent ?? 0);
    }
  const { orders: _, ...flow } = v.flow;
  // Nothing written yet: no nodes (the canvas starts from its entry).
  if (v.version === 0) Object.assign(flow, { start: "", nodes: [] });
  return { ...flow, version: v.version, source: v.source, status: scenario.status, stats };
}
