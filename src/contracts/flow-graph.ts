/**
 * The edges of a journey's graph, without zod: what the server's checks and the browser's canvas
 * (web/journey) both read. A node's outgoing edges are named by the field that holds them.
 */
import type { FlowNode } from "./flow";

/** The node ids a node leads to, with the field that names each. */
export function edgesOf(n: FlowNode): { field: string; to: string | undefined }[] {
  switch (n.type) {
    case "wait_for":
    case "condition":
      return [
        { field: "yes", to: n.yes },
        { field: "no", to: n.no },
      ];
    case "split":
      return n.paths.map((p, i) => ({ field: `paths[${i}].next`, to: p.next }));
    case "parallel":
      return n.paths.map((to, i) => ({ field: `paths[${i}]`, to }));
    case "exit":
      return [];
    default:
      return [{ field: "next", to: n.next }];
  }
}

/** A node's counts (GET /flow `stats.nodes`), and the journey's. */
export interface NodeStats {
  entered: number;
  waiting: number;
  completed: number;
  yes?: number;
  no?: number;
  by_path?: Record<string, number>;
  sent?: number;
  opened?: number;
  clicked?: number;
  /** Email nodes: orders attributed to their messages, and their amount. */
  orders?: number;
  revenue?: number;
}

export interface FlowStats {
  runs: number;
  active: number;
  converted: number;
  conversion_rate: number;
  /** Orders attributed to the journey's emails, and their amount. */
  orders: number;
  revenue: number;
  nodes: Record<string, NodeStats>;
}
