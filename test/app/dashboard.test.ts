import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tenantFor } from "../../src/db/route";
import { sendingFigures } from "../../src/services/dashboard/figures";
import { createOrg } from "../helpers/api";

describe("dashboard figures", () => {
  it("counts the last 7 days inside the last 30, opens and clicks of those sends", async () => {
    const org = await createOrg();
    const day = 86_400_000;
    const at = Date.now();
    const rows: [number, number | null, number | null][] = [
      [at - 2 * day, at - 2 * day, at - 2 * day],
      [at - 3 * day, at - 3 * day, null],
      [at - 20 * day, at - 19 * day, at - 19 * day],
      [at - 25 * day, null, null],
      [at - 40 * day, at - 40 * day, null],
    ];
    for (const [i, [sent, opened, clicked]] of rows.entries())
      await env.DB.prepare(
        "INSERT INTO messages (id, organization_id, provider, status, sent_at, first_opened_at, first_clicked_at, created_at, updated_at) VALUES (?, ?, 'log', 'sent', ?, ?, ?, ?, ?)",
      )
        .bind(`msg_dash_${org.id}_${i}`, org.id, sent, opened, clicked, sent, sent)
        .run();
    const { week, month } = await sendingFigures(await tenantFor(env, org.id));
    expect(week).toEqual({ sent: 2, opened: 2, clicked: 1, openRate: 1, clickRate: 0.5 });
    expect(month).toEqual({ sent: 4, opened: 3, clicked: 2, openRate: 0.75, clickRate: 0.5 });
  });
});
