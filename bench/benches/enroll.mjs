// 4. Enrollment: ENROLL_N contacts into a scenario whose entry step is a year out (enrollment only,
// no sends), against a raw batched INSERT of the same rows on a baseline Worker's D1.
import { config } from "../harness/config.mjs";
import { api, cpuMsOf, summary, waitFor } from "../harness/lib.mjs";
import {
  importContacts,
  metrics,
  newOrg,
  query,
  resetMetrics,
  scenario,
  settle,
  startScenario,
  template,
} from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { ENROLL_N } = config;
const COLUMNS =
  "id, organization_id, scenario_id, contact_id, steps_version, status, current_step_order, next_run_at, stop_reason, created_at, updated_at, revision";

async function run(p, n) {
  const { main, baseline } = p;
  const org = await newOrg(p, "enroll");
  const t = await template(p, org, "Enroll bench");
  p.say(`  enroll run ${n}: importing ${ENROLL_N} contacts`);
  await importContacts(p, org, ENROLL_N, `enroll${n}-`);
  const id = await scenario(p, org, "log", [
    { step_order: 1, name: "Later", trigger: "entry", delay_days: 365, template_id: t },
  ]);
  await settle(p, { timeoutMs: 60_000 });
  await resetMetrics(p);
  p.say(`  enroll run ${n}: enrolling`);
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await startScenario(p, org, id);
  // Done when every contact has its sequence row and the scan says it reached the end. The
  // SequenceDOs come later: each sequence's object is created when its first step is within 12 h
  // (here: in a year), by an activation message that waits on the ENROLL queue.
  let lastLog = Date.now();
  await waitFor(
    `${ENROLL_N} enrollments`,
    async () => {
      const [{ n: enrolled }] = query(
        p,
        "SELECT count(*) AS n FROM contact_sequences WHERE scenario_id = ?",
        id,
      );
      const [s] = query(p, "SELECT enrollment_done_at FROM scenarios WHERE id = ?", id);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        p.say(`    ${enrolled} contacts enrolled`);
      }
      return Number(enrolled) >= ENROLL_N && s?.enrollment_done_at !== null;
    },
    { timeoutMs: 300_000 + ENROLL_N * 50, intervalMs: 100 },
  );
  const seconds = (Date.now() - t0) / 1000;
  const cpuMsPerContact = (cpuMsOf(main.workerdPids()) - cpu0) / ENROLL_N;
  const usage = await metrics(p);
  const rows = query(p, `SELECT ${COLUMNS} FROM contact_sequences WHERE scenario_id = ?`, id);
  if (rows.length !== ENROLL_N)
    throw new Error(`expected ${ENROLL_N} contact_sequences rows, found ${rows.length}`);
  // The same rows, raw: batched INSERTs into the same table (same indexes) on a baseline Worker's D1.
  const r0 = Date.now();
  let rawWritten = 0;
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const res = await api(baseline.base, "/insert", {
      body: { rows: rows.slice(i, i + CHUNK) },
      timeoutMs: 300_000,
    });
    rawWritten += res.rows_written;
  }
  const rawSeconds = (Date.now() - r0) / 1000;
  p.say(
    `  enroll run ${n}: ${seconds.toFixed(1)} s, ${(usage.d1RowsWritten / ENROLL_N).toFixed(2)} D1 rows written per contact; raw insert ${rawSeconds.toFixed(1)} s`,
  );
  return {
    contacts: ENROLL_N,
    seconds,
    perSec: ENROLL_N / seconds,
    usage,
    cpuMsPerContactUpperBound: cpuMsPerContact,
    doRequestsPerContact: usage.doRequests / ENROLL_N,
    d1RowsWrittenPerContact: usage.d1RowsWritten / ENROLL_N,
    doRowsWrittenPerContact: usage.doRowsWritten / ENROLL_N,
    raw: { seconds: rawSeconds, rowsWritten: rawWritten, rowsWrittenPerContact: rawWritten / ENROLL_N },
    timeRatio: seconds / rawSeconds,
  };
}

function report(runs) {
  const pick = (f) => summary(runs.map(f));
  const s = {
    seconds: pick((r) => r.seconds),
    perSec: pick((r) => r.perSec),
    d1RowsWrittenPerContact: pick((r) => r.d1RowsWrittenPerContact),
    doRowsWrittenPerContact: pick((r) => r.doRowsWrittenPerContact),
    rawSeconds: pick((r) => r.raw.seconds),
    rawRowsWrittenPerContact: pick((r) => r.raw.rowsWrittenPerContact),
    timeRatio: pick((r) => r.timeRatio),
    cpuMsPerContact: pick((r) => r.cpuMsPerContactUpperBound),
    doRequestsPerContact: pick((r) => r.doRequestsPerContact),
  };
  const rowsOk = s.d1RowsWrittenPerContact.median <= 2;
  const timeOk = s.timeRatio.median <= 3;
  const lines = [
    `| ${ENROLL_N.toLocaleString("en-US")} contacts | time (s) | contacts/s | D1 rows written / contact | DO rows written / contact |`,
    `| --- | ---: | ---: | ---: | ---: |`,
    `| enrollment (start -> every contact enrolled; objects created when the first step nears) | ${span(s.seconds)} | ${span(s.perSec, 0)} | ${span(s.d1RowsWrittenPerContact, 2)} | ${span(s.doRowsWrittenPerContact, 2)} |`,
    `| raw batched INSERT of the same rows | ${span(s.rawSeconds, 2)} | ${fmt(ENROLL_N / s.rawSeconds.median, 0)} | ${span(s.rawRowsWrittenPerContact, 2)} | - |`,
    `| ratio (time) | ${span(s.timeRatio, 1)}x | | | |`,
    "",
    `Per contact: ${fmt(s.doRequestsPerContact.median, 2)} DO requests, ${fmt(s.cpuMsPerContact.median, 1)} ms workerd CPU (upper bound).`,
    `Target <= 2 rows written per contact: ${rowsOk ? "met" : `missed (${fmt(s.d1RowsWrittenPerContact.median, 2)} D1 rows; the raw INSERT alone writes ${fmt(s.rawRowsWrittenPerContact.median, 2)})`}. ` +
      `Target within 3x of the raw insert: ${timeOk ? "met" : `missed (${fmt(s.timeRatio.median, 1)}x)`}. Runs: ${runs.length}.`,
  ];
  return {
    title: "Enrollment",
    lines,
    result: { ...s, contacts: ENROLL_N, runs: runs.length, rowsTargetMet: rowsOk, timeTargetMet: timeOk },
    figure: s.perSec.median,
  };
}

export const enrollBench = { name: "enroll", runs: config.ENROLL_RUNS, run, report };
