/**
 * The canvas: the email's blocks in order, each a card with its content in short and its tools
 * (move up, move down, duplicate, delete); a section shows its columns, each a list of its own with
 * an "add" of its own. Cards are dragged within their list; the check's issues show on the block
 * they name.
 */
import { useState } from "preact/hooks";
import { appendToColumn, describe, newBlock } from "./model";
import type { Block, BlockType, ContentBlock, Design, Issue, Words, Update } from "./types";

export interface Actions {
  select: (id: string) => void;
  move: (id: string, by: -1 | 1) => void;
  drop: (id: string, target: string) => void;
  duplicate: (id: string) => void;
  remove: (id: string) => void;
}

interface Props {
  t: Words;
  landing: boolean;
  forms: { id: string; name: string }[];
  design: Design;
  selected: string | null;
  checks: Issue[];
  act: Actions;
  update: Update;
}

const CONTENT: BlockType[] = ["heading", "text", "image", "button", "divider", "spacer", "social", "footer"];

function ColumnAdd(props: Props & { section: string; col: number }) {
  const { t } = props;
  const [type, setType] = useState<BlockType>("text");
  const sel = `dz-add-${props.section}-${props.col}`;
  return (
    <div class="dz-col-add">
      <label for={sel} class="sr">
        {`${t.addToColumn} ${props.col + 1}`}
      </label>
      <select id={sel} value={type} onChange={(e) => setType(e.currentTarget.value as BlockType)}>
        {CONTENT.map((x) => (
          <option value={x} key={x}>
            {t.blocks[x]}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="secondary"
        onClick={() =>
          props.update((d) =>
            appendToColumn(d.design, props.section, props.col, newBlock(type, t, d.design) as ContentBlock),
          )
        }
      >
        {t.add}
      </button>
    </div>
  );
}

function Card(props: Props & { block: Block; first: boolean; last: boolean }) {
  const { t, block: b, act } = props;
  const id = b.id as string;
  const issues = props.checks.filter((i) => i.block === id);
  const [over, setOver] = useState(false);
  return (
    <li
      data-block-id={id}
      data-block-type={b.type}
      class={`dz-block${props.selected === id ? " selected" : ""}${over ? " over" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        const from = e.dataTransfer?.getData("text/x-block");
        if (from) act.drop(from, id);
      }}
    >
      <span
        class="dz-handle"
        draggable
        aria-hidden="true"
        title={t.dragHint}
        onDragStart={(e) => {
          e.stopPropagation();
          e.dataTransfer?.setData("text/x-block", id);
        }}
      >
        ⠿
      </span>
      <button
        type="button"
        class="dz-card"
        aria-pressed={props.selected === id}
        onClick={() => act.select(id)}
      >
        <strong>{t.blocks[b.type]}</strong>{" "}
        {b.visible_if ? <span class="badge pending">{t.conditional}</span> : null}{" "}
        <span class="muted">{describe(b, props.forms).slice(0, 80)}</span>
      </button>
      <span class="dz-tools">
        <button
          type="button"
          data-act="up"
          aria-label={t.moveUp}
          title={t.moveUp}
          disabled={props.first}
          onClick={() => act.move(id, -1)}
        >
          ↑
        </button>
        <button
          type="button"
          data-act="down"
          aria-label={t.moveDown}
          title={t.moveDown}
          disabled={props.last}
          onClick={() => act.move(id, 1)}
        >
          ↓
        </button>
        <button type="button" aria-label={t.duplicate} title={t.duplicate} onClick={() => act.duplicate(id)}>
          ⊕
        </button>
        <button type="button" aria-label={t.remove} title={t.remove} onClick={() => act.remove(id)}>
          ✕
        </button>
      </span>
      {issues.length ? (
        <ul class="dz-issues" aria-label={t.issuesHere}>
          {issues.map((i) => (
            <li key={i.message} class={i.severity}>
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {b.type === "section" ? (
        <div class="dz-columns">
          {b.columns.map((col, n) => (
            <fieldset class="dz-column" key={n}>
              <legend>{`${t.columnN} ${n + 1}`}</legend>
              <BlockList {...props} blocks={col} />
              <ColumnAdd {...props} section={id} col={n} />
            </fieldset>
          ))}
        </div>
      ) : null}
    </li>
  );
}

function BlockList(props: Props & { blocks: Block[] }) {
  return (
    <ol class="dz-list">
      {props.blocks.map((b, i) => (
        <Card {...props} key={b.id} block={b} first={i === 0} last={i === props.blocks.length - 1} />
      ))}
    </ol>
  );
}

export function Canvas(props: Props) {
  const { t } = props;
  return (
    <section class="dz-canvas" aria-labelledby="dz-canvas-h">
      <h3 id="dz-canvas-h">{props.landing ? t.canvasPage : t.canvas}</h3>
      {props.design.blocks.length ? (
        <BlockList {...props} blocks={props.design.blocks} />
      ) : (
        <p class="muted">{t.empty}</p>
      )}
    </section>
  );
}
