/**
 * The journey editor: a palette, the canvas, the side panel and the outline over one draft, with
 * undo and redo. Each change is checked by the server as PUT /flow would check it (debounced);
 * Save writes it (a new version) and answers the journey with fresh counts, which also refresh
 * every 15 seconds while the journey runs.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { UndoRedo, useHistory } from "../shared/history";
import { Canvas } from "./canvas";
import { addNode, clone, connect, ENTRY, issuesByNode, removeNode, setEdge } from "./model";
import { Outline } from "./outline";
import { Panel } from "./panel";
import type { Draft, EditorData, Issue, NodeType, Stats } from "./types";

const PALETTE: NodeType[] = [
  "email",
  "wait_for",
  "wait",
  "condition",
  "action",
  "sms",
  "split",
  "parallel",
  "exit",
];

/** The fields PUT /flow takes: the view's version, source, status and stats are not part of it. */
function draftOf(flow: Draft): Draft {
  const { entry, reentry, goal, exit_on, start, nodes, layout } = flow;
  return clone({ entry, reentry, goal, exit_on, start, nodes, ...(layout ? { layout } : {}) });
}

async function post(url: string, csrf: string, draft: Draft) {
  const body = new URLSearchParams({ _csrf: csrf, flow: JSON.stringify(draft) });
  const res = await fetch(url, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  const json = (await res.json().catch(() => ({}))) as {
    issues?: Issue[];
    view?: Draft & { stats: Stats; version: number };
  };
  return { ok: res.ok, status: res.status, ...json };
}

export function App(props: { data: EditorData }) {
  const { data } = props;
  const { t } = data;
  const { hist, setHist, update, undo, redo } = useHistory(draftOf(data.flow));
  const [selected, setSelected] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [stats, setStats] = useState<Stats>(data.stats);
  const [version, setVersion] = useState(data.version);
  const [saved, setSaved] = useState(JSON.stringify(draftOf(data.flow)));
  const [status, setStatus] = useState("");
  const dragStart = useRef<Draft | null>(null);
  const draft = hist.present;
  const dirty = JSON.stringify(draft) !== saved;

  // The server's checks on the draft, a moment after each change.
  useEffect(() => {
    const timer = setTimeout(async () => {
      const r = await post(data.urls.check, data.csrf, draft).catch(() => null);
      if (r?.issues) setIssues(r.issues);
    }, 400);
    return () => clearTimeout(timer);
  }, [draft, data.urls.check, data.csrf]);

  // Live counts while the journey runs.
  useEffect(() => {
    if (data.scenario.status !== "active") return;
    const timer = setInterval(async () => {
      const res = await fetch(data.urls.read, { credentials: "same-origin" }).catch(() => null);
      if (res?.ok) setStats(((await res.json()) as { stats: Stats }).stats);
    }, 15_000);
    return () => clearInterval(timer);
  }, [data.scenario.status, data.urls.read]);

  // Undo / redo from the keyboard, outside text fields.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (!(e.ctrlKey || e.metaKey) || (e.key.toLowerCase() !== "z" && e.key.toLowerCase() !== "y")) return;
      e.preventDefault();
      if (e.key.toLowerCase() === "y" || e.shiftKey) redo();
      else undo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const { byNode, general } = useMemo(() => issuesByNode(draft, issues), [draft, issues]);
  const entryIssues = general.filter((g) => /^(entry|reentry|goal|exit_on|start)/.test(g));

  const focusPanel = () => setTimeout(() => document.getElementById("jp-title")?.focus(), 0);
  const select = (id: string | null, focus = false) => {
    setSelected(id);
    if (focus) focusPanel();
  };

  const add = (type: NodeType, from?: string, field?: string) => {
    let created = "";
    update((d) => {
      created = addNode(
        d,
        type,
        data.templates[0]?.id,
        from ? { id: from, field } : selected ? { id: selected } : undefined,
      );
    });
    // The new node is the selection: its fields are in the panel.
    setTimeout(() => {
      setSelected(created);
      setStatus(`${t.added} ${created}`);
    }, 0);
    return created;
  };

  const remove = (ids: string[]) => {
    if (!ids.length) return;
    update((d) => {
      for (const id of ids) removeNode(d, id);
    });
    setSelected(null);
    setStatus(`${t.deleted} ${ids.join(", ")}`);
  };

  const save = async () => {
    setStatus(t.saving);
    const r = await post(data.urls.save, data.csrf, draft).catch(() => null);
    if (!r) return setStatus(t.networkError);
    if (!r.ok || !r.view) {
      setIssues(r.issues ?? []);
      setStatus(`${t.notSaved} (${(r.issues ?? []).length})`);
      return;
    }
    setStats(r.view.stats);
    setVersion(r.view.version);
    setSaved(JSON.stringify(draft));
    setIssues([]);
    setStatus(`${t.savedVersion} ${r.view.version}`);
  };

  const move = (id: string, at: { x: number; y: number } | undefined, done: boolean) => {
    if (!done) {
      if (!dragStart.current) dragStart.current = hist.present;
      if (!at) return;
      // While dragging: the box follows, without an undo step per pixel.
      setHist((h) => {
        const next = clone(h.present);
        next.layout = { ...(next.layout ?? {}), [id]: { x: Math.round(at.x), y: Math.round(at.y) } };
        return { ...h, present: next };
      });
      return;
    }
    const before = dragStart.current;
    dragStart.current = null;
    setHist((h) => {
      const next = clone(h.present);
      if (at) next.layout = { ...(next.layout ?? {}), [id]: { x: Math.round(at.x), y: Math.round(at.y) } };
      return { past: before ? [...h.past.slice(-99), before] : h.past, present: next, future: [] };
    });
  };

  // Forget the moved positions: every box goes where the automatic layout puts it.
  const arrange = () => update((d) => void delete d.layout);

  return (
    <div class="journey">
      <div class="journey-bar" role="toolbar" aria-label={t.toolbar}>
        <button type="button" onClick={save} disabled={!dirty}>
          {t.save}
        </button>
        <UndoRedo hist={hist} undo={undo} redo={redo} words={{ undo: t.undo, redo: t.redo }} />
        <button type="button" class="secondary" onClick={arrange}>
          {t.arrange}
        </button>
        <span class="muted">{`${t.version} ${version}${dirty ? ` · ${t.unsaved}` : ""}`}</span>
        <span class="journey-status" role="status" aria-live="polite">
          {status}
        </span>
      </div>
      <fieldset class="journey-palette">
        <legend class="sr">{t.palette}</legend>
        <span class="muted">
          {selected && selected !== ENTRY ? `${t.addAfter} ${selected}:` : `${t.addNode}:`}
        </span>
        {PALETTE.map((type) => (
          <button
            type="button"
            class="secondary small"
            data-palette={type}
            key={type}
            onClick={() => add(type)}
          >
            {t.types[type]}
          </button>
        ))}
      </fieldset>
      {issues.length ? (
        <div class="journey-issues" role="alert">
          <strong>{`${t.issues} (${issues.length})`}</strong>
          {general.length ? (
            <ul>
              {general.map((g) => (
                <li key={g}>{g}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div class="journey-main">
        <Canvas
          draft={draft}
          data={data}
          stats={stats}
          issues={byNode}
          selected={selected}
          onSelect={(id) => select(id)}
          onConnect={(from, field, to) => update((d) => connect(d, from, field, to))}
          onDisconnect={(from, field) =>
            update((d) => {
              const n = d.nodes.find((x) => x.id === from);
              if (n) setEdge(n, field, undefined);
            })
          }
          onDelete={remove}
          onMove={move}
        />
        <Panel
          draft={draft}
          data={data}
          selected={selected}
          issues={selected && selected !== ENTRY ? (byNode.get(selected) ?? []) : entryIssues}
          update={update}
          onDelete={(id) => remove([id])}
        />
      </div>
      <Outline
        draft={draft}
        data={data}
        stats={stats}
        issues={byNode}
        selected={selected}
        onSelect={(id) => select(id, true)}
        onAdd={(type, from, field) => {
          add(type, from, field);
          focusPanel();
        }}
        onDelete={(id) => remove([id])}
      />
    </div>
  );
}
