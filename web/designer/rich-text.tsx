/**
 * A text block's editor: an editable area with bold, italic, link and list buttons, writing the
 * block's html (the server keeps p, strong, em, a, ul, ol, li and br only). What it shows is cleaned
 * to the same tags first, parsed by an inert DOMParser document, so nothing stored runs here.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Words } from "./types";

const KEEP = new Set(["P", "STRONG", "EM", "B", "I", "A", "UL", "OL", "LI", "BR", "DIV"]);
const RENAME: Record<string, string> = { B: "strong", I: "em", DIV: "p" };

function cleanInto(from: Node, to: Node, doc: Document) {
  for (const n of Array.from(from.childNodes)) {
    if (n.nodeType === Node.TEXT_NODE) to.appendChild(doc.createTextNode(n.textContent ?? ""));
    if (n.nodeType !== Node.ELEMENT_NODE) continue;
    const el = n as Element;
    if (!KEEP.has(el.tagName)) {
      if (el.tagName !== "SCRIPT" && el.tagName !== "STYLE") cleanInto(el, to, doc);
      continue;
    }
    const out = doc.createElement(RENAME[el.tagName] ?? el.tagName.toLowerCase());
    const href = el.getAttribute("href");
    if (el.tagName === "A" && href && /^(https?:|mailto:|\{\{)/i.test(href.trim()))
      out.setAttribute("href", href);
    cleanInto(el, out, doc);
    to.appendChild(out);
  }
}

/** The html with only the text block's tags (and links' safe addresses). */
export function cleanHtml(html: string): string {
  const src = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.implementation.createHTMLDocument("");
  cleanInto(src.body, out.body, out);
  return out.body.innerHTML;
}

export function RichText(props: {
  t: Words;
  label: string;
  value: string;
  onChange: (html: string) => void;
}) {
  const { t } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && document.activeElement !== el && el.innerHTML !== props.value)
      el.innerHTML = cleanHtml(props.value);
  }, [props.value]);
  const changed = () => ref.current && props.onChange(cleanHtml(ref.current.innerHTML));
  const run = (cmd: string, arg?: string) => {
    ref.current?.focus();
    document.execCommand(cmd, false, arg);
    changed();
  };
  return (
    <div class="dz-field">
      <span class="dz-label" id="dz-rt-label">
        {props.label}
      </span>
      <div class="dz-rt-bar" role="toolbar" aria-label={props.label}>
        <button type="button" class="secondary" onClick={() => run("bold")}>
          <strong>{t.bold}</strong>
        </button>
        <button type="button" class="secondary" onClick={() => run("italic")}>
          <em>{t.italic}</em>
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            const href = window.prompt(t.linkPrompt, "https://");
            if (href && /^(https?:\/\/|mailto:|\{\{)/i.test(href.trim())) run("createLink", href.trim());
          }}
        >
          {t.link}
        </button>
        <button type="button" class="secondary" onClick={() => run("insertUnorderedList")}>
          {t.bullets}
        </button>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: an editable area with formatting is no textarea */}
      <div
        ref={ref}
        class="dz-rt"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-labelledby="dz-rt-label"
        data-var-target=""
        tabIndex={0}
        onInput={changed}
      />
    </div>
  );
}
