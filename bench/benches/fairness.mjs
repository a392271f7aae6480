// 8. Fairness between organizations in the SEND consumer: how long one organization's single email
// takes to be sent (POST /api/v1/send -> message status sent) alone, and when it arrives right
// behind another organization's FAIRNESS_HEAVY emails of a slow template (a Liquid loop that takes
// a lot of CPU and renders little, so the byte budget does not stop it). Log provider; the
// consumer settings of wrangler.toml (batches of 50).
import { config } from "../harness/config.mjs";
import { api, sleep, summary } from "../harness/lib.mjs";
import { newOrg, settle } from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { FAIRNESS_HEAVY: HEAVY, FAIRNESS_LOOP: LOOP } = config;

const light = (n) => ({
  to: `light-${n}-${Date.now()}@example.com`,
  subject: "Your code",
  html: "<p>Your sign-in code is 123456.</p>",
  provider: "log",
});
const heavy = (n, i) => ({
  to: `heavy-${n}-${i}@example.com`,
  subject: "Report",
  // CPU-heavy, output-light: LOOP iterations of arithmetic, one character each.
  html: `<p>{% for i in (1..${LOOP}) %}{% assign x = i | times: 7 | modulo: 3 %}{% if x == 9 %}.{% endif %}{% endfor %}done</p>`,
  provider: "log",
});

/** Send one email for the organization and time it until its message is `sent`. */
async function timed(p, org, body) {
  const t0 = performance.now();
  const res = await api(p.main.base, "/api/v1/send", { token: org.key, body, expect: 202 });
  for (;;) {
    // 404 until the SEND consumer has recorded it.
    const m = await api(p.main.base, `/api/v1/messages/${res.message_id}`, { token: org.key, expect: null });
    if (m?.status && m.status !== "queued") return performance.now() - t0;
    if (performance.now() - t0 > 300_000) throw new Error("the light email was not sent within 5 minutes");
    await sleep(100);
  }
}

async function run(p, n) {
  const a = await newOrg(p, "fairness-heavy");
  const b = await newOrg(p, "fairness-light");
  await settle(p, { quietMs: 1000 });
  const alone = await timed(p, b, light(n));
  await settle(p, { quietMs: 1000 });
  // The heavy organization's emails first (accepted, queued), then the light one right behind.
  await Promise.all(
    Array.from({ length: HEAVY }, (_, i) =>
      api(p.main.base, "/api/v1/send", { token: a.key, body: heavy(n, i), expect: 202 }),
    ),
  );
  const t0 = performance.now();
  const behind = await timed(p, b, light(n + 1000));
  await settle(p, { quietMs: 2000, timeoutMs: 600_000 });
  const heavyDone = performance.now() - t0;
  p.say(
    `  fairness run ${n}: light email alone ${fmt(alone / 1000, 1)} s, behind ${HEAVY} heavy ones ${fmt(behind / 1000, 1)} s (the heavy ones done after ${fmt(heavyDone / 1000, 1)} s)`,
  );
  return { alone, behind, heavyDone };
}

function report(runs) {
  const s = (k) => summary(runs.map((r) => r[k] / 1000));
  const alone = s("alone");
  const behind = s("behind");
  const heavyDone = s("heavyDone");
  return {
    title: `Fairness — one organization's email behind another's ${HEAVY} slow-template emails (SEND consumer)`,
    lines: [
      "| | seconds to sent |",
      "| --- | ---: |",
      `| the light email alone | ${span(alone, 1)} |`,
      `| the light email right behind ${HEAVY} heavy ones of another organization | ${span(behind, 1)} |`,
      `| the ${HEAVY} heavy ones, all done | ${span(heavyDone, 1)} |`,
      "",
      `Heavy template: a ${LOOP}-iteration Liquid loop, a few bytes of output (the 8 MB render budget does not stop it). Each organization of a SEND batch composes, sends and records in its own lane, yielding after each message.`,
    ],
    result: { alone, behind, heavyDone },
    figure: behind.median,
  };
}

export const fairnessBench = { name: "fairness", runs: config.RUNS, run, report };
