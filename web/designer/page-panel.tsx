/** A landing page's own settings beside the preview: published or not, and its address. */
import type { DesignerData, Draft, Update } from "./types";

export function PagePanel(props: { data: DesignerData; draft: Draft; update: Update }) {
  const { t, page } = props.data;
  return (
    <section class="dz-check" aria-labelledby="dz-page-h">
      <h3 id="dz-page-h">{t.publishing}</h3>
      <p>
        <label>
          <input
            type="checkbox"
            checked={!!props.draft.published}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              props.update((d) => {
                d.published = on;
              });
            }}
          />{" "}
          {t.published}
        </label>
      </p>
      {page ? (
        <p>
          <a href={page.url} target="_blank" rel="noopener">
            {t.openPage}
          </a>{" "}
          <code>{page.url}</code>
        </p>
      ) : null}
    </section>
  );
}
