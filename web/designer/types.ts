/** The block editor's types: the design of src/services/designs/schema and the page's data. */
import type { Block, ContentBlock, Design } from "../../src/services/designs/schema";
import type { DesignerData } from "../../src/ui/app/templates/designer-data";

export type { Block, ContentBlock, Design, DesignerData };
import type { FormBlock } from "../../src/services/landing/schema";

export type { FormBlock };
export type BlockType = Block["type"] | "form";
export type Words = DesignerData["t"];
export type Issue = DesignerData["checks"][number];

/** What the editor edits and saves: the subject, the preheader and the design. */
export interface Draft {
  /** An email's subject, or a landing page's title. */
  subject: string;
  preheader: string;
  design: Design;
  /** A landing page's: whether its address shows it. */
  published?: boolean;
}

/** Where a block sits: the top-level list, or a section's column. */
export interface Place {
  list: Block[] | ContentBlock[];
  index: number;
}

/** Change the draft (a copy: one undo step; edits with the same key, such as typing in a field, merge). */
export type Update = (fn: (d: Draft) => void, key?: string) => void;
