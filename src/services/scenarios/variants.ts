import type { VariantDef } from "./types";

const enc = new TextEncoder();

/**
 * A uniform draw in [0, 1) that depends only on `key`: the first 48 bits of SHA-256(key). The same
 * (sequence, step) always draws the same number, so a retried alarm never changes the variant.
 */
export async function draw(key: string): Promise<number> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(key)));
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + (bytes[i] ?? 0);
  return n / 2 ** 48;
}

/** The item whose cumulative weight band contains r (weights are positive; they need not sum to 1). */
export function pickWeighted<T extends { weight: number }>(items: readonly T[], r: number): T {
  if (!items.length) throw new Error("nothing to pick from");
  const total = items.reduce((s, i) => s + i.weight, 0);
  let acc = 0;
  for (const item of items) {
    acc += item.weight / total;
    if (r < acc) return item;
  }
  return items[items.length - 1] as T;
}

/** The variant a (scenario, contact) gets at a step: weighted, deterministic. */
export async function chooseVariant(
  scenarioId: string,
  contactId: string,
  stepOrder: number,
  variants: readonly VariantDef[],
) {
  if (variants.length === 1) return variants[0] as VariantDef;
  return pickWeighted(variants, await draw(`${scenarioId}:${contactId}:${stepOrder}`));
}
