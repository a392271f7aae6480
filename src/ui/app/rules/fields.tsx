import { usePage } from "../layout";
import type { FieldDesc, Options } from "./draft";

export interface Named {
  id: string;
  name: string;
}
/** The organization's objects a select may offer (templates, scenarios, team members, segments). */
export type Lists = Record<Exclude<Options, readonly string[]>, Named[]>;

/** One field of an action or of a trigger, labelled, named `${prefix}${name}`. */
export function FormField(props: { d: FieldDesc; prefix: string; value: string; lists: Lists }) {
  const { t } = usePage();
  const b = t.builders;
  const { d } = props;
  const id = `${props.prefix}${d.name}`;
  const label = b.fields[d.name] ?? d.name;
  if (d.kind === "checkbox")
    return (
      <label>
        <input type="checkbox" id={id} name={id} checked={props.value === "on"} /> {label}
      </label>
    );
  const input = () => {
    if (d.kind === "textarea")
      return (
        <textarea id={id} name={id} rows={3}>
          {props.value}
        </textarea>
      );
    if (d.kind === "select") {
      const opts: Named[] = Array.isArray(d.options)
        ? d.options.map((o) => ({ id: o, name: o }))
        : props.lists[d.options as keyof Lists];
      return (
        <select id={id} name={id}>
          <option value="">{d.empty ? b[d.empty] : "—"}</option>
          {opts.map((o) => (
            <option value={o.id} selected={o.id === props.value}>
              {o.name}
            </option>
          ))}
        </select>
      );
    }
    if (d.options)
      return (
        <>
          <input id={id} name={id} value={props.value} list={`${id}-list`} />
          <datalist id={`${id}-list`}>
            {(d.options as readonly string[]).map((o) => (
              <option value={o} />
            ))}
          </datalist>
        </>
      );
    return (
      <input
        id={id}
        name={id}
        value={props.value}
        type={d.kind === "number" ? "text" : d.kind}
        inputmode={d.kind === "number" ? "numeric" : undefined}
      />
    );
  };
  return (
    <div>
      <label for={id}>{label}</label>
      {input()}
    </div>
  );
}
