/**
 * Every stylesheet and script the pages use is served by the Worker itself (no CDN): at
 * /assets/<name>.<hash>.<ext>, cacheable for a year, since a new content is a new name.
 */
import { sha256Hex } from "../lib/crypto";
import { APP_CSS } from "./assets/app-css";
import { APP_JS } from "./assets/app-js";
import { PUBLIC_CSS } from "./assets/public-css";

interface Asset {
  name: string;
  ext: "css" | "js";
  body: string;
}

const registry = new Map<string, Asset>();
const hashed = new Map<string, Promise<string>>();

export function registerAsset(asset: Asset) {
  registry.set(asset.name, asset);
}

registerAsset({ name: "public", ext: "css", body: PUBLIC_CSS });
registerAsset({ name: "app", ext: "css", body: APP_CSS });
registerAsset({ name: "app-script", ext: "js", body: APP_JS });

/** The URL path of an asset, with its content hash. */
export function assetPath(name: string): Promise<string> {
  let p = hashed.get(name);
  if (!p) {
    const a = registry.get(name);
    if (!a) throw new Error(`no asset ${name}`);
    p = sha256Hex(a.body).then((h) => `/assets/${a.name}.${h.slice(0, 12)}.${a.ext}`);
    hashed.set(name, p);
  }
  return p;
}

/** The asset a request path names, if its hash is current. */
export async function assetFor(file: string): Promise<{ body: string; type: string } | null> {
  const m = /^([a-z0-9-]+)\.([0-9a-f]{12})\.(css|js)$/.exec(file);
  const a = m ? registry.get(m[1] as string) : undefined;
  if (!a || !m) return null;
  if ((await assetPath(a.name)) !== `/assets/${file}`) return null;
  return {
    body: a.body,
    type: a.ext === "css" ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
  };
}
