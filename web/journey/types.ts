/**
 * What the scenario page hands the journey editor (routes/app/scenario.tsx, in a JSON script
 * block): the journey, its counts, the organization's templates, segments, members and scenarios
 * to choose from, where to check and save, and the words in the member's language.
 */
import type { FlowInput, FlowNode } from "../../src/contracts/flow";
import type { FlowStats, NodeStats } from "../../src/contracts/flow-graph";

export type Node = FlowNode;
export type NodeType = Node["type"];
export type Draft = FlowInput;

export type Stats = FlowStats;
export type { NodeStats };

export interface Issue {
  field?: string;
  message: string;
}

export interface Option {
  id: string;
  name: string;
}

export interface EditorData {
  scenario: { id: string; name: string; status: string };
  flow: Draft;
  version: number;
  stats: Stats;
  templates: Option[];
  segments: Option[];
  users: Option[];
  scenarios: Option[];
  fields: string[];
  operators: string[];
  urls: { check: string; save: string; read: string };
  csrf: string;
  lang: "en" | "fr";
  t: Words;
}

/** The editor's words (ui/app/i18n-*.ts `journey`). */
export type Words = Record<string, string> & {
  types: Record<string, string>;
  events: Record<string, string>;
  actions: Record<string, string>;
};
