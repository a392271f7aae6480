// 9. Reports over a year: REPORT_N messages spread over the last 365 days (written straight into the
// platform's local D1 file, as a year of sending would have left them, 20 campaigns, a tenth
// clicked), then GET /reports/overview for the year by week and /reports/messages by campaign:
// the first call rolls the closed days up into report_days, the next ones read them. Also what the
// report counters cost per event: nothing is written per email or event; the roll-up writes once
// per closed day and group.
import { randomBytes } from "node:crypto";
import { config } from "../harness/config.mjs";
import { api, d1File, summary } from "../harness/lib.mjs";
import { newOrg, query } from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { DatabaseSync } = await import("node:sqlite");
const { REPORT_N: N } = config;
const DAY = 86_400_000;

const hex = (ms) => Math.floor(ms).toString(16).padStart(12, "0");

/** A year of messages for the organization, in one transaction. */
function seedYear(p, orgId, now) {
  const db = new DatabaseSync(d1File(p.run.mainPersist));
  try {
    db.exec("BEGIN");
    const insert = db.prepare(
      `INSERT INTO messages (id, organization_id, contact_id, campaign_id, provider, external_id, subject, status,
         sent_at, delivered_at, open_count, first_opened_at, last_opened_at, click_count, first_clicked_at, last_clicked_at,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, 'log', ?, 'Hello', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < N; i++) {
      const at = now - Math.floor((i / N) * 363 * DAY) - 1000;
      const id = `msg_${hex(at)}${randomBytes(8).toString("hex")}`;
      const opened = i % 3 === 0;
      const clicked = i % 10 === 0;
      insert.run(
        id,
        orgId,
        `ct_bench${i % 1000}`,
        `cmp_bench${i % 20}`,
        id,
        clicked ? "clicked" : opened ? "opened" : "delivered",
        at,
        at + 1000,
        opened ? 1 : 0,
        opened ? at + 60_000 : null,
        opened ? at + 60_000 : null,
        clicked ? 1 : 0,
        clicked ? at + 120_000 : null,
        clicked ? at + 120_000 : null,
        at,
        at,
      );
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

async function timed(fn) {
  const t0 = performance.now();
  try {
    const r = await fn();
    return { ms: performance.now() - t0, r };
  } catch (e) {
    throw new Error(
      `${e.message}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ""} after ${Math.round(performance.now() - t0)} ms`,
    );
  }
}

async function run(p, n) {
  const org = await newOrg(p, "reports");
  await api(p.main.base, "/api/v1/settings/organization", {
    token: org.key,
    method: "PUT",
    body: { timezone: "Europe/Paris" },
  });
  const now = Date.now();
  const t0 = performance.now();
  seedYear(p, org.id, now);
  const seededMs = performance.now() - t0;
  p.say(`  reports run ${n}: ${N} messages seeded in ${fmt(seededMs / 1000, 1)} s`);
  // The report's days are the organization's (Europe/Paris): so are the bounds, or an hour before
  // midnight UTC the newest messages fall on a day after `to`.
  const day = (at) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(at);
  const to = day(now);
  const from = day(now - 364 * DAY);
  const overview = (q) =>
    api(p.main.base, `/api/v1/reports/overview?from=${from}&to=${to}&bucket=week${q}`, { token: org.key });
  // The seeding kept the connection idle past the server's keep-alive: one request to reopen it.
  await api(p.main.base, "/health").catch(() => undefined);
  const first = await timed(() => overview(""));
  const rolled = Number(
    query(p, "SELECT count(*) AS n FROM report_days WHERE organization_id = ?", org.id)[0].n,
  );
  const again = [];
  for (let i = 0; i < 5; i++) again.push((await timed(() => overview(""))).ms);
  const byCampaign = [];
  for (let i = 0; i < 5; i++)
    byCampaign.push(
      (
        await timed(() =>
          api(p.main.base, `/api/v1/reports/messages?from=${from}&to=${to}&group_by=campaign`, {
            token: org.key,
          }),
        )
      ).ms,
    );
  const sent = first.r.totals.sent;
  if (sent !== N) throw new Error(`the year's report counts ${sent} messages, not ${N}`);
  p.say(
    `  reports run ${n}: ${N} messages seeded in ${fmt(seededMs / 1000, 1)} s; the year by week: first ${fmt(first.ms, 0)} ms (rolls up ${rolled} rows), then ${fmt(summary(again).median, 0)} ms; by campaign ${fmt(summary(byCampaign).median, 0)} ms`,
  );
  return { first: first.ms, again: summary(again).median, byCampaign: summary(byCampaign).median, rolled };
}

function report(runs) {
  const s = (k) => summary(runs.map((r) => r[k]));
  const again = s("again");
  return {
    title: `Reports over a year — ${N.toLocaleString("en")} messages, GET /reports/overview by week and /reports/messages by campaign`,
    lines: [
      "| call | ms |",
      "| --- | ---: |",
      `| the year by week, first call (rolls the closed days up: ${fmt(s("rolled").median, 0)} report_days rows, once) | ${span(s("first"), 0)} |`,
      `| the year by week, next calls (357 stored days + 8 counted) | ${span(again, 0)} |`,
      `| the year by campaign, 20 campaigns | ${span(s("byCampaign"), 0)} |`,
      "",
      "Rows written per email or event for the report counters: 0 (closed days are rolled up once, from the messages' primary-key range; the last 8 days are counted live).",
    ],
    result: { first: s("first"), again, byCampaign: s("byCampaign") },
    figure: again.median,
  };
}

export const reportsBench = { name: "reports", runs: config.RUNS, run, report };
