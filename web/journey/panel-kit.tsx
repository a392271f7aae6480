/** What the side panel's parts share: how they change the draft, and how they show its issues. */
import type { Draft, Node } from "./types";

export type Update = (fn: (d: Draft) => void) => void;
/** Change the node being edited (in the draft's copy). */
export type SetNode = (fn: (x: Node) => void) => void;
/** Set one field of the node being edited; undefined or "" removes it. */
export type Put = (k: string, v: unknown) => void;

/** The issues the checks found on what the panel shows. */
export const Issues = (props: { list: string[] }) =>
  props.list.length ? (
    <ul class="jp-issues" role="alert">
      {props.list.map((i) => (
        <li key={i}>{i}</li>
      ))}
    </ul>
  ) : null;

/** Change the selected node in place (the draft is a copy; the caller records the step for undo). */
export const editNode = (update: Update, id: string, fn: (n: Node) => void) =>
  update((d) => {
    const n = d.nodes.find((x) => x.id === id);
    if (n) fn(n);
  });
