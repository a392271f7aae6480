/**
 * The block editor: the palette, the canvas of blocks, the side panel of the selected block (or the
 * email's settings), the variables, the preview at desktop or phone width and the saved design's
 * check, over one draft with undo and redo. Save writes the design (the server renders it and
 * answers the new check).
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { UndoRedo, useHistory } from "../shared/history";
import { Canvas } from "./canvas";
import { CheckPanel } from "./check-panel";
import { duplicate, insert, move, moveTo, newBlock, remove, withIds } from "./model";
import { Panel } from "./panel";
import { Preview } from "./preview";
import type { BlockType, DesignerData, Draft, Issue } from "./types";
import { PagePanel } from "./page-panel";
import { Variables } from "./variables";

const PALETTE: BlockType[] = [
  "heading",
  "text",
  "image",
  "button",
  "section",
  "divider",
  "spacer",
  "social",
  "products",
  "footer",
  "html",
];
/** A landing page adds sign-up forms (first); it has no contact, so no recommendations. */
const PAGE_PALETTE: BlockType[] = ["form", ...PALETTE.filter((x) => x !== "products")];

async function save(data: DesignerData, draft: Draft) {
  const body = new URLSearchParams({ _csrf: data.csrf, draft: JSON.stringify(draft) });
  const res = await fetch(data.urls.save, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  }).catch(() => null);
  const json = ((await res?.json().catch(() => null)) ?? {}) as {
    checks?: Issue[];
    issues?: { field?: string; message: string }[];
  };
  return { ok: !!res?.ok, ...json };
}

export function App(props: { data: DesignerData }) {
  const { data } = props;
  const { t } = data;
  // The draft as the page handed it (every block given an id), computed once.
  const [initial] = useState<Draft>(() => ({
    subject: data.template.subject,
    preheader: data.template.preheader,
    design: withIds(data.design),
    ...(data.page ? { published: data.page.published } : {}),
  }));
  const { hist, update, undo, redo } = useHistory(initial);
  const [selected, setSelected] = useState<string | null>(null);
  const [saved, setSaved] = useState(JSON.stringify(initial));
  const [status, setStatus] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const [checks, setChecks] = useState<Issue[]>(data.checks);
  /** After a move by keyboard, the button to give the focus back to (the block's node moved). */
  const refocus = useRef<string[] | null>(null);
  const draft = hist.present;
  const dirty = JSON.stringify(draft) !== saved;

  // A layout effect runs in the task that commits the DOM: a moved block's button, disabled at an
  // end, never leaves the focus on the page's body for a moment (an effect runs after the paint).
  useLayoutEffect(() => {
    const sel = refocus.current;
    if (!sel) return;
    refocus.current = null;
    // A block moved to an end has that way's button disabled: the other one takes the focus.
    const hits = sel.map((x) => document.querySelector<HTMLButtonElement>(x));
    hits.find((b) => b && !b.disabled)?.focus();
  });

  const onSave = async () => {
    setStatus(t.saving);
    const res = await save(data, draft);
    if (res.ok) {
      setSaved(JSON.stringify(draft));
      setChecks(res.checks ?? []);
      setErrors([]);
      setStatus(t.saved);
    } else {
      setErrors(
        (res.issues ?? [{ message: t.saveFailed }]).map((i) =>
          i.field ? `${i.field}: ${i.message}` : i.message,
        ),
      );
      setStatus(t.saveFailed);
    }
  };

  const act = {
    select: setSelected,
    move: (id: string, by: -1 | 1) => {
      const tools = `[data-block-id="${id}"] > .dz-tools`;
      const [way, other] = by < 0 ? ["up", "down"] : ["down", "up"];
      refocus.current = [`${tools} [data-act="${way}"]`, `${tools} [data-act="${other}"]`];
      update((d) => void move(d.design, id, by));
    },
    drop: (id: string, target: string) => update((d) => void moveTo(d.design, id, target)),
    duplicate: (id: string) => {
      let copy: string | null = null;
      update((d) => {
        copy = duplicate(d.design, id);
      });
      setSelected(copy);
    },
    remove: (id: string) => {
      update((d) => remove(d.design, id));
      if (selected === id) setSelected(null);
    },
  };

  const add = (type: BlockType) => {
    let id = "";
    update((d) => {
      id = insert(d.design, newBlock(type, t, d.design, data.forms[0]?.id ?? ""), selected);
    });
    setSelected(id);
    refocus.current = [`[data-block-id="${id}"] > .dz-card`];
  };

  return (
    <div class="dz">
      <div class="dz-bar" role="toolbar" aria-label={t.editor}>
        <button type="button" onClick={onSave} disabled={!dirty && status !== t.saveFailed}>
          {t.save}
        </button>
        <UndoRedo hist={hist} undo={undo} redo={redo} words={t} />
        <span class="dz-status" role="status">
          {dirty ? t.unsaved : status}
        </span>
      </div>
      {errors.length ? (
        <ul class="notice error" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      <div class="dz-main">
        <aside class="dz-side">
          <h3 id="dz-palette">{t.palette}</h3>
          <ul class="dz-palette" aria-labelledby="dz-palette">
            {(data.mode === "landing" ? PAGE_PALETTE : PALETTE).map((type) => (
              <li key={type}>
                <button type="button" class="secondary" onClick={() => add(type)} data-add={type}>
                  {`+ ${t.blocks[type]}`}
                </button>
              </li>
            ))}
          </ul>
          {data.mode === "email" ? <Variables t={t} variables={data.variables} /> : null}
        </aside>
        <Canvas
          t={t}
          landing={data.mode === "landing"}
          forms={data.forms}
          design={draft.design}
          selected={selected}
          checks={checks}
          act={act}
          update={update}
        />
        <Panel
          data={data}
          draft={draft}
          selected={selected}
          update={update}
          onClose={() => setSelected(null)}
        />
      </div>
      <div class="dz-bottom">
        <Preview data={data} draft={draft} />
        {data.mode === "email" ? (
          <CheckPanel t={t} checks={checks} dirty={dirty} onShow={setSelected} />
        ) : (
          <PagePanel data={data} draft={draft} update={update} />
        )}
      </div>
    </div>
  );
}
