import type { Block } from "./schema";

/** Every block of a design, each section before its columns' blocks. */
export function eachBlock(blocks: Block[], fn: (b: Block) => void) {
  for (const b of blocks) {
    fn(b);
    if (b.type === "section") for (const col of b.columns) eachBlock(col, fn);
  }
}

/** An image block's address: its asset's public URL on the Worker, or its src. */
export const imageSrc = (b: { asset_id?: string; src?: string }) =>
  b.asset_id ? `{{ tracking_base }}/i/${b.asset_id}` : (b.src ?? "");

/** The blocks' images and links, by address: which block to point at when the check names one. */
export function blockByUrl(blocks: Block[]): Map<string, string> {
  const out = new Map<string, string>();
  const note = (url: string | undefined, id: string | undefined) => {
    if (url && id && !out.has(url)) out.set(url, id);
  };
  eachBlock(blocks, (b) => {
    if (b.type === "image") {
      note(imageSrc(b), b.id);
      note(b.href, b.id);
    } else if (b.type === "button") note(b.href, b.id);
    else if (b.type === "social") for (const l of b.links) note(l.href, b.id);
  });
  return out;
}
