/** The side panel: the selected block's fields, or the email's subject, preheader and settings. */
import { BlockFields } from "./block-fields";
import { VisibleIf } from "./visible-if";
import { NumberField, TextField } from "./fields";
import { find } from "./model";
import type { DesignerData, Draft, Update } from "./types";

export function Panel(props: {
  data: DesignerData;
  draft: Draft;
  selected: string | null;
  update: Update;
  onClose: () => void;
}) {
  const { data, draft, update } = props;
  const { t } = data;
  const block = props.selected ? find(draft.design, props.selected) : null;
  const s = draft.design.settings;
  const set = (k: keyof typeof s, v: unknown) =>
    update((d) => {
      (d.design.settings as Record<string, unknown>)[k] = v;
    }, `settings.${k}`);
  return (
    <section class="dz-panel" aria-labelledby="dz-panel-h">
      {block ? (
        <>
          <div class="dz-row">
            <h3 id="dz-panel-h">{`${t.panel} · ${t.blocks[block.type]}`}</h3>
            <button type="button" class="secondary" onClick={props.onClose}>
              {data.mode === "landing" ? t.settingsPage : t.settings}
            </button>
          </div>
          <BlockFields
            key={block.id}
            data={{ ...data, design: draft.design }}
            block={block}
            update={update}
          />
          {data.mode === "email" ? (
            <VisibleIf key={`v${block.id}`} data={data} block={block} update={update} />
          ) : null}
        </>
      ) : (
        <>
          <h3 id="dz-panel-h">{data.mode === "landing" ? t.settingsPage : t.settings}</h3>
          <p class="muted small">{data.mode === "landing" ? t.settingsHintPage : t.settingsHint}</p>
          <TextField
            name="subject"
            label={data.mode === "landing" ? t.pageTitle : t.subject}
            value={draft.subject}
            onChange={(v) =>
              update((d) => {
                d.subject = v;
              }, "subject")
            }
          />
          {data.mode === "email" ? (
            <TextField
              name="preheader"
              label={t.preheader}
              value={draft.preheader}
              onChange={(v) =>
                update((d) => {
                  d.preheader = v;
                }, "preheader")
              }
            />
          ) : null}
          <NumberField
            name="width"
            label={t.width}
            min={320}
            max={900}
            value={s.width}
            onChange={(v) => set("width", v ?? 600)}
          />
          <TextField
            name="background"
            type="color"
            label={t.background}
            value={s.background}
            onChange={(v) => set("background", v)}
          />
          <TextField
            name="text-color"
            type="color"
            label={t.textColor}
            value={s.text_color}
            onChange={(v) => set("text_color", v)}
          />
          <TextField
            name="link-color"
            type="color"
            label={t.linkColor}
            value={s.link_color}
            onChange={(v) => set("link_color", v)}
          />
          <TextField
            name="font"
            label={t.font}
            value={s.font_family}
            onChange={(v) => set("font_family", v)}
          />
        </>
      )}
    </section>
  );
}
