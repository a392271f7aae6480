/**
 * The probability that each A/B variant is the best, from Beta posteriors: a variant with s
 * successes (opens, clicks or replies) out of n sends has rate ~ Beta(1 + s, 1 + n - s) under a
 * uniform prior. For two variants the probability is exact, by the closed form in Evan Miller,
 * "Formulas for Bayesian A/B Testing" (2015), https://www.evanmiller.org/bayesian-ab-testing.html:
 *
 *   P(p_B > p_A) = sum_{i=0}^{a_B - 1} B(a_A + i, b_A + b_B) / ((b_B + i) B(1 + i, b_B) B(a_A, b_A))
 *
 * (a_B must be a whole number, which it is here). For three or more variants it is estimated by
 * Monte Carlo with a seeded generator (the same data always gives the same figures).
 */

export interface VariantData {
  name: string;
  sent: number;
  successes: number;
}

/** log Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; about 15 significant digits). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

export const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

const posterior = (v: VariantData) => ({
  a: 1 + Math.max(0, v.successes),
  b: 1 + Math.max(0, v.sent - v.successes),
});

/** P(rate of B > rate of A), exact (Evan Miller's closed form, summed in log space). */
export function probabilityBBeatsA(A: VariantData, B: VariantData): number {
  const { a: aA, b: bA } = posterior(A);
  const { a: aB, b: bB } = posterior(B);
  let total = 0;
  for (let i = 0; i < aB; i++) {
    total += Math.exp(logBeta(aA + i, bA + bB) - Math.log(bB + i) - logBeta(1 + i, bB) - logBeta(aA, bA));
  }
  return Math.min(1, Math.max(0, total));
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number) {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape >= 1 here. */
function gamma(shape: number, rand: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function betaSample(a: number, b: number, rand: () => number) {
  const x = gamma(a, rand);
  return x / (x + gamma(b, rand));
}

export const MONTE_CARLO_DRAWS = 20_000;

/** P(each variant has the highest rate): exact for two, seeded Monte Carlo for more. */
export function probabilityBest(variants: VariantData[], seed = 1): Map<string, number> {
  const out = new Map<string, number>();
  if (variants.length === 1) out.set((variants[0] as VariantData).name, 1);
  if (variants.length === 2) {
    const [A, B] = variants as [VariantData, VariantData];
    const pB = probabilityBBeatsA(A, B);
    out.set(A.name, 1 - pB);
    out.set(B.name, pB);
  }
  if (variants.length > 2) {
    const rand = seeded(seed);
    const params = variants.map(posterior);
    const wins = new Array<number>(variants.length).fill(0);
    for (let d = 0; d < MONTE_CARLO_DRAWS; d++) {
      let best = 0;
      let bestRate = -1;
      params.forEach((p, i) => {
        const r = betaSample(p.a, p.b, rand);
        if (r > bestRate) {
          bestRate = r;
          best = i;
        }
      });
      wins[best] = (wins[best] ?? 0) + 1;
    }
    variants.forEach((v, i) => void out.set(v.name, (wins[i] ?? 0) / MONTE_CARLO_DRAWS));
  }
  return out;
}
