/**
 * Blocks shown on a condition (`visible_if`: segment criteria on the contact). A design renders
 * each such block inside `{% unless hidden["<key>"] %}`; the send sets `hidden` for its contact
 * (visibility-send.ts), and a preview, a check or a test send, which set nothing, show every block.
 * A block's key is its id, or its place in reading order when it has none.
 */
import type { Block } from "./schema";
import { eachBlock } from "./walk";

export interface VisibilityRule {
  key: string;
  criteria: Record<string, unknown>;
}

/** The design's conditional blocks, each with its key. */
export function visibilityRules(blocks: Block[]): Map<Block, VisibilityRule> {
  const out = new Map<Block, VisibilityRule>();
  let n = 0;
  eachBlock(blocks, (b) => {
    n++;
    if (b.visible_if) out.set(b, { key: b.id ?? `n${n}`, criteria: b.visible_if });
  });
  return out;
}

/** The Liquid opening and closing a conditional block's output (keys are [\w-], safe in quotes). */
export const guardOpen = (key: string) => `{% unless hidden["${key}"] %}`;
export const GUARD_CLOSE = "{% endunless %}";

/** Whether a stored design has any conditional block (read before parsing it). */
export const hasVisibility = (designJson: string | null | undefined) =>
  !!designJson && designJson.includes('"visible_if"');
