import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { createScenario, listScenarios } from "../../services/scenarios/store";
import { assertSegment } from "../../services/scenarios/manage";
import { listSegments } from "../../services/segments/store";
import { ObjectList } from "../../ui/app/components";
import { Csrf } from "../../ui/app/layout";
import { ScenarioCreate } from "../scenarios/schema";
import {
  SettingsFields,
  type SettingsValues,
  settingsFromForm,
} from "../../ui/app/scenarios/settings-fields";
import { type Ctx, formOf, render, pageOf } from "./session";
import { issuesOf, runForm } from "./forms";

async function newPage(c: Ctx, v: Partial<SettingsValues>, errors: ErrorDetail[]) {
  const p = await pageOf(c);
  const segments = await listSegments(c.get("tenant"), { limit: 200 });
  return render(
    c,
    p.t.scenarios.new,
    <form method="post" action="/app/scenarios">
      <Csrf />
      <SettingsFields v={v} errors={errors} segments={segments.items} />
      <button type="submit">{p.t.common.create}</button>
    </form>,
    errors.length ? 422 : 200,
  );
}

/** GET /app/scenarios, GET /app/scenarios/new, POST /app/scenarios (checked by the API's ScenarioCreate). */
export function registerScenarioList(app: App) {
  app.get("/app/scenarios", async (c) => {
    const p = await pageOf(c);
    const list = await listScenarios(c.get("tenant"), { limit: 200 });
    return render(
      c,
      p.t.scenarios.title,
      <ObjectList
        newHref="/app/scenarios/new"
        newLabel={p.t.scenarios.new}
        base="/app/scenarios"
        items={list.items}
      />,
    );
  });
  app.get("/app/scenarios/new", (c) => newPage(c, { from_email: "", name: "" }, []));
  app.post("/app/scenarios", async (c) => {
    const v = settingsFromForm(await formOf(c));
    const parsed = ScenarioCreate.safeParse(v);
    if (!parsed.success) return newPage(c, v, issuesOf(parsed.error));
    const tenant = c.get("tenant");
    return runForm(
      async () => {
        await assertSegment(tenant, parsed.data.segment_id);
        const row = await createScenario(tenant, parsed.data);
        return c.redirect(`/app/scenarios/${encodeURIComponent(row.id)}`, 303);
      },
      (errors) => newPage(c, v, errors),
    );
  });
}
