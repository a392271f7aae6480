/**
 * The journey editor's calls (ui/journey, the canvas and its outline): read the journey with its
 * counts, check a draft as PUT /flow would (no save), save it. The draft comes as a form field
 * `flow` (JSON) beside `_csrf`, like every POST of the UI; answers are JSON.
 */
import type { App } from "../../app-env";
import { ApiError, type ErrorDetail } from "../../lib/errors";
import { startSweep } from "../../services/scenarios/enrollment";
import { checkFlow, saveFlow } from "../../services/scenarios/flow/store";
import { flowView } from "../../services/scenarios/flow/view";
import { type Ctx, field, formOf } from "./session";

/** The draft of the request, or the issue that it is not JSON. */
async function draftOf(c: Ctx): Promise<{ draft: unknown } | { issues: ErrorDetail[] }> {
  const text = field(await formOf(c), "flow");
  try {
    return { draft: JSON.parse(text) };
  } catch {
    return { issues: [{ message: "the journey is not valid JSON" }] };
  }
}

export function registerJourneyEditor(app: App) {
  app.get("/app/scenarios/:id/flow.json", async (c) =>
    c.json(await flowView(c.get("tenant"), c.req.param("id"))),
  );

  app.post("/app/scenarios/:id/flow/check", async (c) => {
    const d = await draftOf(c);
    if ("issues" in d) return c.json({ issues: d.issues });
    return c.json({ issues: await checkFlow(c.get("tenant"), d.draft) });
  });

  app.post("/app/scenarios/:id/flow", async (c) => {
    const tenant = c.get("tenant");
    const id = c.req.param("id");
    const d = await draftOf(c);
    if ("issues" in d) return c.json({ issues: d.issues }, 422);
    const issues = await checkFlow(tenant, d.draft);
    if (issues.length) return c.json({ issues }, 422);
    try {
      const saved = await saveFlow(tenant, id, d.draft as Parameters<typeof saveFlow>[2]);
      const view = await flowView(tenant, id);
      if (view.status === "active" || view.status === "paused")
        await startSweep(c.env, tenant, id, "reflow", saved.version);
      return c.json({ view });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status === 404) throw e;
      return c.json(
        { issues: e.details.length ? e.details : [{ message: e.message }] },
        e.status as 409 | 422,
      );
    }
  });
}
