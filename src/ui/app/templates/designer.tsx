/**
 * A designed template's block editor (web/designer, a hashed static bundle) and, until its script
 * runs or without JavaScript, the design's blocks as a list. The editor's data goes in a JSON block
 * (escaped for a script element; not executed).
 */
import type { Block } from "../../../services/designs/schema";
import { BUNDLES } from "../../assets/bundles.gen";
import { scriptJson } from "../script-json";
import { CheckList } from "./check-list";
import type { DesignerData } from "./designer-data";

function Outline(props: { blocks: Block[]; t: DesignerData["t"] }) {
  return (
    <ol>
      {props.blocks.map((b) => (
        <li data-block-id={b.id} data-block-type={b.type}>
          {props.t.blocks[b.type]}
          {b.type === "section" ? b.columns.map((col) => <Outline blocks={col} t={props.t} />) : null}
        </li>
      ))}
    </ol>
  );
}

export function DesignerSection(props: { data: DesignerData }) {
  const { data } = props;
  return (
    <section class="dz-section" aria-labelledby="designer-heading">
      <h2 id="designer-heading">{data.mode === "landing" ? data.t.pageEditor : data.t.editor}</h2>
      {/* The criteria builder of a block's visible_if is the journey editor's, with its styles. */}
      <link rel="stylesheet" href={BUNDLES.journey.css} />
      <link rel="stylesheet" href={BUNDLES.designer.css} />
      <div id="designer">
        <p class="muted">{data.t.noScript}</p>
        <Outline blocks={data.design.blocks} t={data.t} />
        {data.mode === "email" ? (
          <>
            <h3>{data.t.check}</h3>
            <CheckList name={data.template.name} issues={data.checks} />
          </>
        ) : null}
      </div>
      <script
        type="application/json"
        id="designer-data"
        dangerouslySetInnerHTML={{ __html: scriptJson(data) }}
      />
      <script type="module" src={BUNDLES.designer.js} />
    </section>
  );
}
