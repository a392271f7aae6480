// Minimal five-field cron matcher (minute hour day-of-month month day-of-week; `*`, `*/n`, `a-b`,
// lists, numbers) for the local cron ticker. UTC, like Cloudflare's scheduler.
function fieldMatches(field, value, min) {
  return field.split(",").some((part) => {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    let lo;
    let hi;
    if (range === "*") [lo, hi] = [min, Number.POSITIVE_INFINITY];
    else if (range.includes("-")) [lo, hi] = range.split("-").map(Number);
    else [lo, hi] = [Number(range), stepText ? Number.POSITIVE_INFINITY : Number(range)];
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });
}

export function matchesCron(expr, date) {
  const [m, h, dom, mon, dow] = expr.trim().split(/\s+/);
  return (
    fieldMatches(m, date.getUTCMinutes(), 0) &&
    fieldMatches(h, date.getUTCHours(), 0) &&
    fieldMatches(dom, date.getUTCDate(), 1) &&
    fieldMatches(mon, date.getUTCMonth() + 1, 1) &&
    fieldMatches(dow.replace("7", "0"), date.getUTCDay(), 0)
  );
}
