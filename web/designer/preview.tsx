/**
 * The preview: the draft rendered by the server for a chosen contact (a form posted into a
 * sandboxed frame, as the HTML editor's preview), at desktop or phone width, refreshed a moment
 * after each change.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { DesignerData, Draft } from "./types";

export function Preview(props: { data: DesignerData; draft: Draft }) {
  const { data, draft } = props;
  const { t } = data;
  const [phone, setPhone] = useState(false);
  const [contact, setContact] = useState("");
  const form = useRef<HTMLFormElement>(null);
  const json = JSON.stringify(draft);
  useEffect(() => {
    const timer = setTimeout(() => form.current?.submit(), 500);
    return () => clearTimeout(timer);
  }, [json, contact]);
  return (
    <section class="dz-preview" aria-labelledby="dz-preview-h">
      <div class="dz-row">
        <h3 id="dz-preview-h">{t.preview}</h3>
        <fieldset class="dz-toggle">
          <legend class="sr">{t.preview}</legend>
          <button type="button" class="secondary" aria-pressed={!phone} onClick={() => setPhone(false)}>
            {t.desktop}
          </button>
          <button type="button" class="secondary" aria-pressed={phone} onClick={() => setPhone(true)}>
            {t.phone}
          </button>
        </fieldset>
        {data.mode === "email" ? (
          <>
            <label for="dz-contact">{t.previewFor}</label>
            <select id="dz-contact" value={contact} onChange={(e) => setContact(e.currentTarget.value)}>
              <option value="">{t.sample}</option>
              {data.contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
      </div>
      <form ref={form} method="post" action={data.urls.preview} target="dz-frame" hidden>
        <input type="hidden" name="_csrf" value={data.csrf} />
        <input type="hidden" name="draft" value={json} />
        <input type="hidden" name="contact_id" value={contact} />
      </form>
      {/* Scrolls sideways on a phone at desktop width: focusable, so a keyboard can scroll it. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the focus */}
      <section class="dz-frame-wrap" tabIndex={0} aria-label={t.preview}>
        <iframe
          name="dz-frame"
          title={`${t.preview} · ${phone ? t.phone : t.desktop}`}
          class={phone ? "dz-frame phone" : "dz-frame"}
          sandbox=""
          src="about:blank"
        />
      </section>
    </section>
  );
}
