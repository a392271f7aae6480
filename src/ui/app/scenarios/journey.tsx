/**
 * The scenario page's journey: the canvas editor (web/journey, a hashed static bundle) and, until
 * its script runs or without JavaScript, the journey as a read-only outline with its counts. The
 * editor's data goes in a JSON block (escaped for a script element; not executed).
 */
import { edgesOf } from "../../../contracts/flow-graph";
import type { FlowInput } from "../../../contracts/flow";
import { BUNDLES } from "../../assets/bundles.gen";
import type { JourneyWords } from "../i18n-journey";
import { scriptJson } from "../script-json";

export interface JourneyData {
  scenario: { id: string; name: string; status: string };
  flow: FlowInput;
  version: number;
  stats: { runs: number; converted: number; nodes: Record<string, { entered: number; waiting: number }> };
  templates: { id: string; name: string }[];
  segments: { id: string; name: string }[];
  users: { id: string; name: string }[];
  scenarios: { id: string; name: string }[];
  fields: string[];
  operators: readonly string[];
  urls: { check: string; save: string; read: string };
  csrf: string;
  lang: "en" | "fr";
  t: JourneyWords;
}

/** The nodes from the start, depth first, then any not reached. */
function readingOrder(f: FlowInput): FlowInput["nodes"] {
  const byId = new Map(f.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const out: FlowInput["nodes"] = [];
  const stack = [f.start];
  while (stack.length) {
    const id = stack.pop() as string;
    const n = byId.get(id);
    if (!n || seen.has(id)) continue;
    seen.add(id);
    out.push(n);
    stack.push(
      ...edgesOf(n)
        .map((e) => e.to)
        .filter((x): x is string => !!x)
        .reverse(),
    );
  }
  return [...out, ...f.nodes.filter((n) => !seen.has(n.id))];
}

export function JourneySection(props: { data: JourneyData }) {
  const { data } = props;
  const { t } = data;
  return (
    <section class="journey-section" aria-labelledby="journey-heading">
      <h2 id="journey-heading">{t.journey}</h2>
      <link rel="stylesheet" href={BUNDLES.journey.css} />
      <div id="journey-editor">
        <ol class="ol-root">
          <li data-node-id="__entry" data-node-type="entry">
            {`${t.entry} · ${t.runs} ${data.stats.runs} · ${t.converted} ${data.stats.converted}`}
          </li>
          {readingOrder(data.flow).map((n) => (
            <li data-node-id={n.id} data-node-type={n.type}>
              {`${t.types[n.type]} ${n.id} · ${t.entered} ${data.stats.nodes[n.id]?.entered ?? 0}`}
            </li>
          ))}
        </ol>
      </div>
      <script
        type="application/json"
        id="journey-data"
        dangerouslySetInnerHTML={{ __html: scriptJson(data) }}
      />
      <script type="module" src={BUNDLES.journey.js} />
    </section>
  );
}
