import { usePage } from "../layout";

/** "Start from": a blank journey or one of the recipes (services/scenarios/flow/recipes.ts). */
export function RecipeChoice(props: {
  recipes: { key: string; name: string; description: string }[];
  chosen: string;
}) {
  const { t } = usePage();
  return (
    <fieldset class="recipes">
      <legend>{t.scenarios.startFrom}</legend>
      <label class="recipe">
        <input type="radio" name="recipe" value="" checked={!props.chosen} />
        <span>
          <strong>{t.scenarios.blank}</strong>
          <span class="muted">{t.scenarios.blankHint}</span>
        </span>
      </label>
      {props.recipes.map((r) => (
        <label class="recipe">
          <input type="radio" name="recipe" value={r.key} checked={props.chosen === r.key} />
          <span>
            <strong>{r.name}</strong>
            <span class="muted">{r.description}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
