/** The saved design's check: errors first, each issue that names a block a button selecting it. */
import type { Issue, Words } from "./types";

export function CheckPanel(props: {
  t: Words;
  checks: Issue[];
  dirty: boolean;
  onShow: (id: string) => void;
}) {
  const { t } = props;
  const sorted = [...props.checks].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  return (
    <section class="dz-check" id="dz-check" aria-labelledby="dz-check-h">
      <h3 id="dz-check-h">{t.check}</h3>
      <p class="muted small">{t.checkHint}</p>
      {sorted.length ? (
        <ul class="dz-issues">
          {sorted.map((i) => (
            <li key={`${i.code}${i.message}`} class={i.severity} data-code={i.code}>
              <span class={`badge ${i.severity === "error" ? "failed" : "pending"}`}>{i.severity}</span>{" "}
              <code>{i.code}</code>{" "}
              {i.block ? (
                <button type="button" class="link" onClick={() => props.onShow(i.block as string)}>
                  {i.message}
                </button>
              ) : (
                i.message
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="notice ok" data-check-ok>
          {t.checkOk}
        </p>
      )}
    </section>
  );
}
