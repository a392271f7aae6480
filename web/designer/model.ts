/**
 * The design as the editor changes it: every block gets an id (kept when saved, so the check's
 * issues and the selection can name it), blocks are found by id wherever they sit (top level or a
 * section's column), moved, duplicated and removed there. Functions change the draft given to them
 * (the app hands them a copy, one undo step each).
 */
import { eachBlock } from "../../src/services/designs/walk";
import type { Block, BlockType, FormBlock, ContentBlock, Design, Place, Words } from "./types";

import { clone } from "../shared/history";

let counter = 0;
/** An id not yet used in the design. */
export function freshId(d: Design): string {
  const used = new Set<string>();
  eachBlock(d.blocks, (b) => b.id && used.add(b.id));
  let id: string;
  do id = `b${++counter}`;
  while (used.has(id));
  return id;
}

/** The design with an id on every block. */
export function withIds(d: Design): Design {
  const out = clone(d);
  eachBlock(out.blocks, (b) => {
    if (!b.id) b.id = freshId(out);
  });
  return out;
}

export function find(d: Design, id: string): Block | null {
  let hit: Block | null = null;
  eachBlock(d.blocks, (b) => {
    if (b.id === id) hit = b;
  });
  return hit;
}

/** The list holding the block and its index there. */
export function placeOf(d: Design, id: string): Place | null {
  const look = (list: Block[]): Place | null => {
    const index = list.findIndex((b) => b.id === id);
    if (index >= 0) return { list, index };
    for (const b of list)
      if (b.type === "section")
        for (const col of b.columns) {
          const p = look(col);
          if (p) return p;
        }
    return null;
  };
  return look(d.blocks);
}

/** Move a block by `by` places within its list; false when it is already at that end. */
export function move(d: Design, id: string, by: -1 | 1): boolean {
  const p = placeOf(d, id);
  if (!p) return false;
  const to = p.index + by;
  if (to < 0 || to >= p.list.length) return false;
  const [b] = p.list.splice(p.index, 1);
  (p.list as Block[]).splice(to, 0, b as Block);
  return true;
}

/** Move a block to the place of another one in the same list (drag and drop). */
export function moveTo(d: Design, id: string, targetId: string): boolean {
  const from = placeOf(d, id);
  const to = placeOf(d, targetId);
  if (!from || !to || from.list !== to.list || id === targetId) return false;
  const [b] = from.list.splice(from.index, 1);
  (from.list as Block[]).splice(to.index, 0, b as Block);
  return true;
}

/** A copy of the block (new ids) right after it; answers the copy's id. */
export function duplicate(d: Design, id: string): string | null {
  const p = placeOf(d, id);
  const b = p?.list[p.index];
  if (!p || !b) return null;
  const copy = clone(b) as Block;
  copy.id = freshId(d);
  if (copy.type === "section") for (const col of copy.columns) for (const x of col) x.id = freshId(d);
  (p.list as Block[]).splice(p.index + 1, 0, copy);
  return copy.id;
}

export function remove(d: Design, id: string): void {
  const p = placeOf(d, id);
  if (p) p.list.splice(p.index, 1);
}

/** A new block of the type with words a marketer would replace. */
export function newBlock(type: BlockType, t: Words, d: Design, formId = ""): Block {
  const id = freshId(d);
  switch (type) {
    case "form":
      // Only landing pages offer it; the design's type knows the email blocks.
      return { type, id, form_id: formId } as FormBlock as unknown as Block;
    case "section":
      return {
        type,
        id,
        columns: [
          [{ type: "text", id: `${id}a`, html: `<p>${t.blocks.text}</p>` }],
          [{ type: "text", id: `${id}b`, html: `<p>${t.blocks.text}</p>` }],
        ],
      };
    case "heading":
      return { type, id, text: t.blocks.heading, level: 2 };
    case "text":
      return { type, id, html: `<p>${t.blocks.text}</p>` };
    case "image":
      return { type, id, src: "https://", alt: "" };
    case "button":
      return { type, id, label: t.blocks.button, href: "https://" };
    case "divider":
      return { type, id };
    case "spacer":
      return { type, id, height: 24 };
    case "social":
      return { type, id, links: [{ network: "website", href: "https://" }] };
    case "products":
      return { type, id, source: "recommendations", columns: 3 };
    case "html":
      return { type, id, html: "<p></p>" };
    case "footer":
      return {
        type,
        id,
        address: t.addressDefault,
        unsubscribe_label: t.unsubscribeDefault,
        preferences_label: t.preferencesDefault,
      };
  }
}

/**
 * Insert a new block after the selected one (in its list), or at the end of the email; a section's
 * column takes only content blocks. Answers the new block's id.
 */
export function insert(d: Design, b: Block, after: string | null): string {
  const p = after ? placeOf(d, after) : null;
  const inColumn = p && p.list !== d.blocks;
  if (p && (!inColumn || b.type !== "section")) (p.list as Block[]).splice(p.index + 1, 0, b);
  else d.blocks.push(b);
  return b.id as string;
}

/** A column's own "add" (the first block of an empty column, or at its end). */
export function appendToColumn(d: Design, sectionId: string, col: number, b: ContentBlock): void {
  const s = find(d, sectionId);
  if (s?.type === "section") s.columns[col]?.push(b);
}

/** A short line naming the block's content on the canvas. */
export function summary(b: Block): string {
  const strip = (h: string) =>
    h
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  switch (b.type) {
    case "heading":
      return b.text;
    case "text":
      return strip(b.html);
    case "image":
      return b.alt || b.src || b.asset_id || "";
    case "button":
      return `${b.label} → ${b.href}`;
    case "spacer":
      return `${b.height}px`;
    case "social":
      return b.links.map((l) => l.network).join(", ");
    case "footer":
      return b.address;
    case "html":
      return strip(b.html);
    case "section":
      return `${b.columns.length}`;
    default:
      return "";
  }
}

/** The canvas line of a block, a landing page's form included (its form's name). */
export function describe(b: Block, forms: { id: string; name: string }[]): string {
  const any = b as Block | FormBlock;
  if (any.type === "form") return forms.find((f) => f.id === any.form_id)?.name ?? any.form_id;
  return summary(b);
}
