// Baseline Worker for the benchmarks, on the same runtime as the platform (wrangler dev / workerd).
//   POST /webhook  parses the JSON body and answers 200: the floor for webhook ingestion.
//   POST /insert   {rows: [...contact_sequences rows]}: one batched INSERT (500 rows per statement,
//                  the rows as one JSON parameter), answers the D1 rows written: the floor for enrollment.
const COLUMNS = [
  "id",
  "organization_id",
  "scenario_id",
  "contact_id",
  "steps_version",
  "status",
  "current_step_order",
  "next_run_at",
  "stop_reason",
  "created_at",
  "updated_at",
  "revision",
];
const INSERT = `INSERT INTO contact_sequences (${COLUMNS.join(", ")})
  SELECT ${COLUMNS.map((c) => `j.value ->> '${c}'`).join(", ")} FROM json_each(?1) AS j`;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname.startsWith("/webhook")) {
      try {
        await request.json();
      } catch {
        return Response.json({ ok: false }, { status: 400 });
      }
      return Response.json({ ok: true });
    }
    if (request.method === "POST" && pathname === "/insert") {
      const { rows } = await request.json();
      const statements = [];
      for (let i = 0; i < rows.length; i += 500)
        statements.push(env.DB.prepare(INSERT).bind(JSON.stringify(rows.slice(i, i + 500))));
      const results = statements.length ? await env.DB.batch(statements) : [];
      const written = results.reduce((s, r) => s + (r.meta?.rows_written ?? 0), 0);
      return Response.json({ inserted: rows.length, rows_written: written });
    }
    return new Response("ok");
  },
};
