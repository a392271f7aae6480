import { usePage } from "../layout";

/**
 * The JSON behind a builder, for developers: what the form stands for now, and a box to paste JSON
 * that replaces it ("Use this JSON" loads it into the builder; saving with the box filled saves it).
 */
export function JsonDisclosure(props: { name: string; current: unknown; pasted: string }) {
  const { t } = usePage();
  const b = t.builders;
  return (
    <details open={!!props.pasted}>
      <summary>{b.json}</summary>
      <p class="muted">{b.jsonNow}</p>
      <pre>{JSON.stringify(props.current, null, 2)}</pre>
      <label for={props.name}>{b.jsonPaste}</label>
      <textarea id={props.name} name={props.name} rows={8}>
        {props.pasted}
      </textarea>
      <p>
        <button type="submit" class="secondary small" name="do" value="json">
          {b.jsonUse}
        </button>
      </p>
    </details>
  );
}
