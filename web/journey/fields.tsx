/** Labelled form controls of the side panel: each commits its value on change. */
import type { ComponentChildren } from "preact";

let seq = 0;
const uid = (name: string) => `jf-${name}-${++seq}`;

export function Text(props: {
  label: string;
  value: string | number | undefined;
  onChange: (v: string) => void;
  type?: "text" | "number" | "time" | "url";
  hint?: string;
  error?: string;
  name?: string;
}) {
  const id = uid(props.name ?? "f");
  return (
    <div class="jf">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.hint || props.error ? `${id}-h` : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint || props.error ? (
        <small id={`${id}-h`} class={props.error ? "error" : "muted"}>
          {props.error ?? props.hint}
        </small>
      ) : null}
    </div>
  );
}

export function Area(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  rows?: number;
  name?: string;
}) {
  const id = uid(props.name ?? "a");
  return (
    <div class="jf">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        value={props.value}
        onChange={(e) => props.onChange((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

export function Select(props: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
  empty?: string;
  name?: string;
}) {
  const id = uid(props.name ?? "s");
  return (
    <div class="jf">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value ?? ""}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Check(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  name?: string;
}) {
  const id = uid(props.name ?? "c");
  return (
    <div class="jf jf-check">
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export function Group(props: { legend: string; children: ComponentChildren }) {
  return (
    <fieldset class="jf-group">
      <legend>{props.legend}</legend>
      {props.children}
    </fieldset>
  );
}

/** A number from a text field: undefined when empty (the field is then left out). */
export const num = (v: string): number | undefined => (v.trim() === "" ? undefined : Number(v));
