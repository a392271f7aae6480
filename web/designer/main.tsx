/**
 * The block editor's entry (built by scripts/build-ui.mjs into public/static/designer.<hash>.js):
 * it reads the page's JSON block and takes over the list of blocks the server drew, which stays
 * the page without JavaScript.
 */
import { render } from "preact";
import { App } from "./app";
import type { DesignerData } from "./types";

const root = document.getElementById("designer");
const source = document.getElementById("designer-data");
if (root && source?.textContent) {
  const data = JSON.parse(source.textContent) as DesignerData;
  root.textContent = "";
  render(<App data={data} />, root);
}
