/**
 * A steps version read as its graph (GET /flow of a scenario written with PUT /steps): each step an
 * email node, its delay a wait, its opened / not_opened / clicked children wait_for nodes with yes
 * and no branches, several children at once a parallel node. The sequences of a steps version
 * run the steps themselves (engine/state.ts); this is how the canvas and the API show them.
 */
import type { Flow, FlowNode } from "../../../contracts/flow";
import type { ScenarioSettings, StepDef } from "../types";

/** How long a sent step listens for an open or a click (engine/state.ts LISTEN_MS). */
const LISTEN_DAYS = 30;

const duration = (minutes: number) => ({
  days: Math.floor(minutes / 1440) || undefined,
  hours: Math.floor((minutes % 1440) / 60) || undefined,
  minutes: minutes % 60 || undefined,
});

export function flowFromSteps(
  steps: StepDef[],
  settings: Pick<ScenarioSettings, "stop_on_reply" | "stop_on_unsubscribe">,
  segmentId: string | null,
): Flow {
  const nodes: FlowNode[] = [];
  const orders: Record<string, number> = {};
  const emailId = (s: StepDef) => `s${s.step_order}`;
  let needsEnd = false;
  const end = () => {
    needsEnd = true;
    return "end";
  };
  /** The node that runs a child after `minutes` (a wait, then its email). */
  const after = (s: StepDef, minutes: number): string => {
    if (minutes <= 0) return emailId(s);
    const id = `s${s.step_order}-wait`;
    nodes.push({ id, type: "wait", ...duration(minutes), next: emailId(s) });
    return id;
  };
  /** Several heads at once: a parallel node; one: itself; none: undefined. */
  const fork = (id: string, heads: string[]): string | undefined => {
    if (heads.length <= 1) return heads[0];
    nodes.push({ id, type: "parallel", paths: heads });
    return id;
  };
  const childrenOf = (order: number, trigger: StepDef["trigger"]) =>
    steps.filter((x) => x.parent_step_order === order && x.trigger === trigger);

  for (const s of steps) {
    const id = emailId(s);
    orders[id] = s.step_order;
    const heads: string[] = childrenOf(s.step_order, "delay").map((c) => after(c, c.delay_minutes));
    const opened = childrenOf(s.step_order, "opened");
    const notOpened = childrenOf(s.step_order, "not_opened");
    if (opened.length || notOpened.length) {
      const deadline = notOpened.length
        ? Math.min(...notOpened.map((c) => c.delay_minutes))
        : LISTEN_DAYS * 1440;
      const wf = `s${s.step_order}-opened`;
      nodes.push({
        id: wf,
        type: "wait_for",
        event: "opened",
        node: id,
        within: duration(Math.max(1, deadline)),
        yes:
          fork(
            `${wf}-yes`,
            opened.map((c) => after(c, c.delay_minutes)),
          ) ?? end(),
        no:
          fork(
            `${wf}-no`,
            notOpened.map((c) => after(c, c.delay_minutes - deadline)),
          ) ?? end(),
      });
      heads.push(wf);
    }
    const clicked = childrenOf(s.step_order, "clicked");
    if (clicked.length) {
      const wf = `s${s.step_order}-clicked`;
      nodes.push({
        id: wf,
        type: "wait_for",
        event: "clicked",
        node: id,
        within: { days: LISTEN_DAYS },
        yes:
          fork(
            `${wf}-yes`,
            clicked.map((c) => after(c, c.delay_minutes)),
          ) ?? end(),
        no: end(),
      });
      heads.push(wf);
    }
    const variants = s.variants.map((v) => ({ name: v.name, template_id: v.template_id, weight: v.weight }));
    nodes.push({
      id,
      type: "email",
      name: s.name,
      ...(variants.length > 1 ? { variants } : { template_id: s.template_id }),
      next: fork(`${id}-then`, heads),
    });
  }
  const entries = steps.filter((s) => s.trigger === "entry").map((s) => after(s, s.delay_minutes));
  const start = fork("start", entries) ?? end();
  if (needsEnd) nodes.push({ id: "end", type: "exit" });
  const exitOn: Flow["exit_on"] = ["bounced"];
  if (settings.stop_on_unsubscribe) exitOn.unshift("unsubscribed");
  if (settings.stop_on_reply) exitOn.push("replied");
  return {
    entry: { type: "segment", segment_id: segmentId },
    reentry: { policy: "once" },
    goal: null,
    exit_on: exitOn,
    start,
    // Emails first, in step order, then the nodes between them: the order a reader expects.
    nodes: [...nodes.filter((n) => n.type === "email"), ...nodes.filter((n) => n.type !== "email")],
    orders,
  };
}
