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
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { applyRecipe, isRecipe, recipeList } from "../../services/scenarios/flow/recipes";
import { RecipeChoice } from "../../ui/app/scenarios/recipes";
import { issuesOf, runForm } from "./forms";

async function newPage(c: Ctx, v: Partial<SettingsValues>, errors: ErrorDetail[], recipe = "") {
  const p = await pageOf(c);
  const segments = await listSegments(c.get("tenant"), { limit: 200 });
  return render(
    c,
    p.t.scenarios.new,
    <form method="post" action="/app/scenarios">
      <Csrf />
      <RecipeChoice recipes={recipeList(p.lang)} chosen={recipe} />
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
      <>
        <ObjectList
          newHref="/app/scenarios/new"
          newLabel={p.t.scenarios.new}
          base="/app/scenarios"
          items={list.items}
        />
        <section aria-labelledby="recipes">
          <h2 id="recipes">{p.t.scenarios.recipes}</h2>
          <ul class="cards grid">
            {recipeList(p.lang).map((r) => (
              <li class="card">
                <a href={`/app/scenarios/new?recipe=${r.key}`}>{r.name}</a>
                <p class="muted">{r.description}</p>
              </li>
            ))}
          </ul>
        </section>
      </>,
    );
  });
  app.get("/app/scenarios/new", async (c) => {
    const recipe = c.req.query("recipe") ?? "";
    const p = await pageOf(c);
    const name = isRecipe(recipe) ? (recipeList(p.lang).find((r) => r.key === recipe)?.name ?? "") : "";
    return newPage(c, { from_email: "", name }, [], isRecipe(recipe) ? recipe : "");
  });
  app.post("/app/scenarios", async (c) => {
    const form = await formOf(c);
    const v = settingsFromForm(form);
    const recipe = field(form, "recipe");
    const parsed = ScenarioCreate.safeParse(v);
    if (!parsed.success) return newPage(c, v, issuesOf(parsed.error), recipe);
    const tenant = c.get("tenant");
    const p = await pageOf(c);
    return runForm(
      async () => {
        await assertSegment(tenant, parsed.data.segment_id);
        const row = await createScenario(tenant, parsed.data);
        // A recipe: its templates, in the member's language, and its journey, ready to adjust.
        if (isRecipe(recipe)) await applyRecipe(tenant, row.id, recipe, p.lang);
        return c.redirect(`/app/scenarios/${encodeURIComponent(row.id)}`, 303);
      },
      (errors) => newPage(c, v, errors, recipe),
    );
  });
}
