// Cloudflare list prices (Workers Paid plan, usage beyond the monthly inclusions), in USD.
// Checked on 2026-11-20 against developers.cloudflare.com pricing pages for Workers, D1,
// Durable Objects and Queues. Inclusions are ignored: the figures are marginal cost at scale.
export const PRICES_CHECKED_ON = "2026-11-20";

export const PRICES = {
  workerRequests: { perMillion: 0.3, unit: "Worker invocations (fetch, queue batch, scheduled)" },
  workerCpuMs: { perMillion: 0.02, unit: "Worker CPU milliseconds" },
  d1RowsRead: { perMillion: 0.001, unit: "D1 rows read" },
  d1RowsWritten: { perMillion: 1.0, unit: "D1 rows written (index updates included)" },
  doRequests: { perMillion: 0.15, unit: "Durable Object requests (each RPC call and each alarm)" },
  doRowsRead: { perMillion: 0.001, unit: "Durable Object SQLite rows read" },
  doRowsWritten: { perMillion: 1.0, unit: "Durable Object SQLite rows written" },
  queueOperations: { perMillion: 0.4, unit: "Queue operations (write, read, delete per 64 KB)" },
};

/** SES list price for comparison: $0.10 per 1,000 emails. */
export const SES_PER_1000 = 0.1;

/** Dollars for a usage record { unitName: count }. */
export function priceOf(usage) {
  const lines = Object.entries(PRICES).map(([k, p]) => ({
    unit: k,
    count: usage[k] ?? 0,
    usd: ((usage[k] ?? 0) * p.perMillion) / 1e6,
  }));
  return { lines, total: lines.reduce((s, l) => s + l.usd, 0) };
}
