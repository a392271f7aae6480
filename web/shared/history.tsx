/**
 * Undo and redo over an editor's draft (the journey editor, the block editor): every change is
 * applied to a copy, one undo step each; changes with the same key (typing in one field) merge
 * into one step. At most 100 steps are kept.
 */
import { useCallback, useState } from "preact/hooks";

export const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The last step's merge key. */
  key?: string;
}

export function useHistory<T>(initial: T) {
  const [hist, setHist] = useState<History<T>>({ past: [], present: initial, future: [] });
  const update = useCallback(
    (fn: (d: T) => void, key?: string) =>
      setHist((h) => {
        const next = clone(h.present);
        fn(next);
        if (key && key === h.key) return { ...h, present: next };
        return { past: [...h.past.slice(-99), h.present], present: next, future: [], key };
      }),
    [],
  );
  const undo = () =>
    setHist((h) =>
      h.past.length
        ? {
            past: h.past.slice(0, -1),
            present: h.past[h.past.length - 1] as T,
            future: [h.present, ...h.future],
          }
        : h,
    );
  const redo = () =>
    setHist((h) =>
      h.future.length
        ? { past: [...h.past, h.present], present: h.future[0] as T, future: h.future.slice(1) }
        : h,
    );
  return { hist, setHist, update, undo, redo };
}

/** The toolbar's Undo and Redo buttons, disabled when there is nothing to take back or redo. */
export function UndoRedo(props: {
  hist: History<unknown>;
  undo: () => void;
  redo: () => void;
  words: { undo: string; redo: string };
}) {
  return (
    <>
      <button type="button" class="secondary" onClick={props.undo} disabled={!props.hist.past.length}>
        {props.words.undo}
      </button>
      <button type="button" class="secondary" onClick={props.redo} disabled={!props.hist.future.length}>
        {props.words.redo}
      </button>
    </>
  );
}
