/**
 * The automatic A/B winner. A scenario step's variants, or a campaign, may set `auto_winner`
 * {metric, min_per_variant, probability}. Once every variant has been sent to at least
 * min_per_variant contacts and one variant's probability of being best reaches `probability`,
 * that variant is the winner: recorded once, with its figures, and sent to every later contact.
 * Until then the weights decide (no Thompson sampling: the split stays the one the marketer set,
 * so the test's figures stay comparable). A variant already chosen for a contact never changes.
 */
import { iso } from "../../lib/clock";
import { probabilityBest, type VariantData } from "./probability";

export type WinnerMetric = "click_rate" | "open_rate" | "reply_rate";

export interface AutoWinner {
  metric: WinnerMetric;
  min_per_variant: number;
  probability: number;
  /** Campaigns: the share of the audience in the test, and how long the test runs. */
  test_percent?: number;
  decide_after_hours?: number;
}

export interface VariantCounts {
  name: string;
  sent: number;
  /** Human opens (machine opens are counted apart and never count here). */
  opened: number;
  clicked: number;
  replied: number;
}

export interface WinnerDecision {
  variant: string;
  decided_at: string;
  probability: number;
  metric: WinnerMetric;
  /** False when the deadline came first and the leader was taken without reaching `probability`. */
  reached: boolean;
  figures: { name: string; sent: number; successes: number; rate: number; probability_best: number }[];
}

const successesOf = (v: VariantCounts, metric: WinnerMetric) =>
  metric === "open_rate" ? v.opened : metric === "reply_rate" ? v.replied : v.clicked;

/** Each variant's probability of being best on the metric (4 decimals). */
export function bestProbabilities(variants: VariantCounts[], metric: WinnerMetric): Map<string, number> {
  const data: VariantData[] = variants.map((v) => ({
    name: v.name,
    sent: v.sent,
    successes: successesOf(v, metric),
  }));
  const p = probabilityBest(data);
  return new Map([...p].map(([k, x]) => [k, Math.round(x * 10_000) / 10_000]));
}

/**
 * The decision on these counts, or null while it is not reached. With `force` (a campaign's test
 * deadline) the leader is answered anyway, with `reached: false` when it fell short.
 */
export function decide(
  settings: AutoWinner,
  variants: VariantCounts[],
  at: number,
  force = false,
): WinnerDecision | null {
  if (variants.length < 2) return null;
  const p = bestProbabilities(variants, settings.metric);
  const figures = variants.map((v) => {
    const successes = successesOf(v, settings.metric);
    return {
      name: v.name,
      sent: v.sent,
      successes,
      rate: v.sent ? Math.round((successes / v.sent) * 10_000) / 10_000 : 0,
      probability_best: p.get(v.name) ?? 0,
    };
  });
  const leader = figures.reduce((a, b) => (b.probability_best > a.probability_best ? b : a));
  const reached =
    figures.every((f) => f.sent >= settings.min_per_variant) &&
    leader.probability_best >= settings.probability;
  if (!reached && !force) return null;
  return {
    variant: leader.name,
    decided_at: iso(at) as string,
    probability: leader.probability_best,
    metric: settings.metric,
    reached,
    figures,
  };
}
