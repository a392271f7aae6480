/**
 * The variables list: a click inserts `{{ name }}` where the cursor was in the field last edited
 * (an input, a textarea or the text block's editable area), as if typed, so the draft follows.
 */
import { useEffect } from "preact/hooks";
import type { Words } from "./types";

let last: HTMLElement | null = null;

function insertInto(el: HTMLElement, text: string) {
  el.focus();
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    const at = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? at;
    el.setRangeText(text, at, end, "end");
    el.dispatchEvent(new Event("input", { bubbles: true }));
  } else document.execCommand("insertText", false, text);
}

export function Variables(props: { t: Words; variables: string[] }) {
  const { t } = props;
  useEffect(() => {
    const track = (e: FocusEvent) => {
      const el = e.target as HTMLElement;
      if (el?.hasAttribute?.("data-var-target")) last = el;
    };
    document.addEventListener("focusin", track);
    return () => document.removeEventListener("focusin", track);
  }, []);
  return (
    <>
      <h3 id="dz-vars">{t.variables}</h3>
      <p class="muted small">{t.variablesHint}</p>
      <ul class="dz-vars" aria-labelledby="dz-vars">
        {props.variables.map((v) => (
          <li key={v}>
            <button
              type="button"
              class="link"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => last?.isConnected && insertInto(last, `{{ ${v} }}`)}
            >
              <code>{`{{ ${v} }}`}</code>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
