/** The side panel's labelled inputs, each writing one value of the draft (one undo step per field). */
import type { ComponentChildren } from "preact";

interface Base<T> {
  label: string;
  value: T;
  onChange: (v: T) => void;
  hint?: string;
}

function Labelled(props: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="dz-field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? <p class="muted small">{props.hint}</p> : null}
    </div>
  );
}

export function TextField(
  props: Base<string> & { name: string; type?: "text" | "url" | "color"; area?: boolean },
) {
  const id = `dz-f-${props.name}`;
  const common = {
    id,
    value: props.value,
    "data-var-target": props.type === "color" ? undefined : "",
    onInput: (e: Event) => props.onChange((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <Labelled id={id} label={props.label} hint={props.hint}>
      {props.area ? <textarea rows={6} {...common} /> : <input type={props.type ?? "text"} {...common} />}
    </Labelled>
  );
}

export function NumberField(props: Base<number | undefined> & { name: string; min: number; max: number }) {
  const id = `dz-f-${props.name}`;
  return (
    <Labelled id={id} label={props.label} hint={props.hint}>
      <input
        id={id}
        type="number"
        min={props.min}
        max={props.max}
        value={props.value ?? ""}
        onInput={(e) => {
          const v = e.currentTarget.value;
          props.onChange(v === "" ? undefined : Math.min(props.max, Math.max(props.min, Number(v))));
        }}
      />
    </Labelled>
  );
}

export function SelectField<T extends string | number>(
  props: Base<T> & { name: string; options: { value: T; label: string }[] },
) {
  const id = `dz-f-${props.name}`;
  return (
    <Labelled id={id} label={props.label} hint={props.hint}>
      <select
        id={id}
        value={String(props.value)}
        onChange={(e) => {
          const hit = props.options.find((o) => String(o.value) === e.currentTarget.value);
          if (hit) props.onChange(hit.value);
        }}
      >
        {props.options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}
