/**
 * The journey editor's entry (built by scripts/build-ui.mjs into public/assets/journey.<hash>.js):
 * it reads the page's JSON block and takes over the outline the server drew, which stays the page
 * without JavaScript.
 */
import { render } from "preact";
import { App } from "./app";
import type { EditorData } from "./types";

const root = document.getElementById("journey-editor");
const source = document.getElementById("journey-data");
if (root && source?.textContent) {
  const data = JSON.parse(source.textContent) as EditorData;
  root.textContent = "";
  render(<App data={data} />, root);
}
