/**
 * A scenario's journey versions as graphs: PUT /flow saves one (checked, its email nodes numbered
 * and written as steps of the same version), GET /flow and the SequenceDO read one. A version the
 * steps API wrote has no flow row: it is read as its steps' graph (from-steps.ts).
 */
import { desc, eq, inArray } from "drizzle-orm";
import {
  type Flow,
  FlowInput,
  flowZodDetails,
  type FlowNode,
  WAIT_FOR_EVENTS,
  type WaitForEvent,
} from "../../../contracts/flow";
import { scenarioFlows, scenarioSteps, templates } from "../../../db/schema";
import { now } from "../../../lib/clock";
import { ApiError, type ErrorDetail, validationFailed } from "../../../lib/errors";
import { parseJson } from "../../../lib/json";
import { scoped, type Tenant } from "../../../lib/tenant";
import { assertSegment } from "../manage";
import { getScenario, type ScenarioRow, settingsOf } from "../store";
import { loadSteps, writeVersion } from "../steps";
import { DEFAULT_VARIANT, type StepInput } from "../types";
import { flowFromSteps } from "./from-steps";
import { flowIssues } from "./validate";

export interface FlowVersion {
  version: number;
  source: "steps" | "flow";
  flow: Flow;
}

/** The flow of a version: its row (PUT /flow), else the steps of that version read as a graph. */
export async function loadFlow(tenant: Tenant, scenario: ScenarioRow, version: number): Promise<FlowVersion> {
  const row = await tenant.db
    .select()
    .from(scenarioFlows)
    .where(
      scoped(
        tenant,
        scenarioFlows,
        eq(scenarioFlows.scenarioId, scenario.id),
        eq(scenarioFlows.version, version),
      ),
    )
    .get();
  if (row) return { version, source: row.source, flow: parseJson<Flow>(row.flow, emptyFlow()) };
  const steps = version > 0 ? await loadSteps(tenant, scenario.id, version) : [];
  return { version, source: "steps", flow: flowFromSteps(steps, settingsOf(scenario), scenario.segmentId) };
}

const emptyFlow = (): Flow => ({
  entry: { type: "segment" },
  reentry: { policy: "once" },
  goal: null,
  exit_on: [],
  start: "end",
  nodes: [{ id: "end", type: "exit" }],
  orders: {},
});

/** The behaviour events a flow waits for or converts on (the EVENTS consumer forwards only those). */
export function listensTo(f: Pick<Flow, "nodes" | "goal">): WaitForEvent[] {
  const out = new Set<WaitForEvent>();
  for (const n of f.nodes) if (n.type === "wait_for") out.add(n.event);
  if (f.goal && "event" in f.goal) out.add(f.goal.event);
  return WAIT_FOR_EVENTS.filter((e) => out.has(e));
}

/** Email node id -> number: kept for ids seen before, new numbers above every number ever used. */
async function numberEmails(tenant: Tenant, scenarioId: string, nodes: FlowNode[]) {
  const previous = await tenant.db
    .select({ flow: scenarioFlows.flow })
    .from(scenarioFlows)
    .where(scoped(tenant, scenarioFlows, eq(scenarioFlows.scenarioId, scenarioId)))
    .orderBy(desc(scenarioFlows.version))
    .limit(1)
    .get();
  const known = parseJson<Partial<Flow>>(previous?.flow, {}).orders ?? {};
  const used = await tenant.db
    .select({ order: scenarioSteps.stepOrder })
    .from(scenarioSteps)
    .where(scoped(tenant, scenarioSteps, eq(scenarioSteps.scenarioId, scenarioId)))
    .all();
  let max = Math.max(0, ...used.map((r) => r.order), ...Object.values(known));
  const orders: Record<string, number> = {};
  for (const n of nodes) if (n.type === "email") orders[n.id] = known[n.id] ?? ++max;
  return orders;
}

/** Each email node whose template is not the organization's, named by its path. */
async function templateIssues(tenant: Tenant, nodes: FlowNode[]): Promise<ErrorDetail[]> {
  const wanted: { field: string; id: string }[] = [];
  nodes.forEach((n, i) => {
    if (n.type !== "email") return;
    if (n.template_id) wanted.push({ field: `nodes[${i}].template_id`, id: n.template_id });
    for (const [j, v] of (n.variants ?? []).entries())
      wanted.push({ field: `nodes[${i}].variants[${j}].template_id`, id: v.template_id });
  });
  const ids = [...new Set(wanted.map((w) => w.id))];
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await tenant.db
      .select({ id: templates.id })
      .from(templates)
      .where(scoped(tenant, templates, inArray(templates.id, ids.slice(i, i + 90))))
      .all();
    for (const r of rows) found.add(r.id);
  }
  return wanted
    .filter((w) => !found.has(w.id))
    .map((w) => ({ field: w.field, message: `template ${w.id} not found` }));
}

/** 422 TEMPLATE_NOT_FOUND naming each email node whose template is not the organization's. */
async function assertTemplates(tenant: Tenant, nodes: FlowNode[]) {
  const missing = await templateIssues(tenant, nodes);
  if (missing.length)
    throw new ApiError(
      "TEMPLATE_NOT_FOUND",
      missing.map((d) => `${d.field}: ${d.message}`).join("; "),
      missing,
    );
}

/** The email nodes as steps of the version: what sending, the counters and the A/B winner read. */
function emailSteps(nodes: FlowNode[], orders: Record<string, number>): StepInput[] {
  return nodes.flatMap((n) =>
    n.type === "email"
      ? [
          {
            step_order: orders[n.id] as number,
            name: (n.name || n.id).slice(0, 200),
            trigger: "entry" as const,
            parent_step_order: null,
            template_id: n.template_id ?? (n.variants?.[0]?.template_id as string),
            variants: n.variants ?? [
              { name: DEFAULT_VARIANT, template_id: n.template_id as string, weight: 1 },
            ],
            auto_winner: (n.auto_winner as StepInput["auto_winner"]) ?? null,
          },
        ]
      : [],
  );
}

/**
 * Every problem of a flow as PUT /flow would name it, without saving (the canvas checks as it is
 * edited): its shape, its graph, its templates.
 */
export async function checkFlow(tenant: Tenant, input: unknown): Promise<ErrorDetail[]> {
  const parsed = FlowInput.safeParse(input);
  if (!parsed.success) return flowZodDetails(parsed.error);
  const issues = flowIssues(parsed.data);
  return [...issues, ...(await templateIssues(tenant, parsed.data.nodes))];
}

/**
 * PUT /flow: check the flow (422 naming the path; TEMPLATE_NOT_FOUND; 404 for an unknown entry
 * segment), then write it as a new version. On an active or paused scenario the running journeys
 * move on to it (the caller starts that sweep).
 */
export async function saveFlow(tenant: Tenant, scenarioId: string, input: FlowInput): Promise<FlowVersion> {
  const scenario = await getScenario(tenant, scenarioId);
  if (scenario.status === "stopped")
    throw new ApiError("ILLEGAL_TRANSITION", "a stopped scenario cannot be edited");
  const issues = flowIssues(input);
  if (issues.length) throw validationFailed(issues);
  await assertTemplates(tenant, input.nodes);
  const segmentId = input.entry.type === "segment" ? (input.entry.segment_id ?? null) : null;
  await assertSegment(tenant, segmentId);
  const orders = await numberEmails(tenant, scenarioId, input.nodes);
  const flow: Flow = {
    ...input,
    goal: input.goal ?? null,
    reentry: input.reentry ?? { policy: "once" },
    exit_on: input.exit_on ?? [
      ...(scenario.stopOnUnsubscribe ? (["unsubscribed"] as const) : []),
      "bounced" as const,
      ...(scenario.stopOnReply ? (["replied"] as const) : []),
    ],
    orders,
  };
  const json = JSON.stringify(flow);
  const version = await writeVersion(
    tenant,
    scenarioId,
    scenario.stepsVersion,
    emailSteps(input.nodes, orders),
    {
      set: { entry: JSON.stringify(flow.entry), listens: JSON.stringify(listensTo(flow)), segmentId },
      statements: (v) => [
        tenant.db.insert(scenarioFlows).values({
          scenarioId,
          version: v,
          organizationId: tenant.orgId,
          source: "flow",
          flow: json,
          createdAt: now(),
        }),
      ],
    },
  );
  return { version, source: "flow", flow };
}
