import { describe, expect, it } from "vitest";
import bmp from "../fixtures/images/python.bmp?inline";
import gif from "../fixtures/images/python.gif?inline";
import jpg from "../fixtures/images/python.jpg?inline";
import png from "../fixtures/images/python.png?inline";
import webp from "../fixtures/images/python.webp?inline";
import { call, createOrg, json, type TestOrg } from "../helpers/api";

/** A fixture's bytes (Vite inlines it as a data URL). */
const bytesOf = (dataUrl: string) =>
  Uint8Array.from(atob(dataUrl.split(",")[1] ?? ""), (ch) => ch.charCodeAt(0));

async function upload(org: TestOrg, bytes: Uint8Array, name: string, type = "application/octet-stream") {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type }));
  return call("/api/v1/assets", { key: org.key, method: "POST", raw: form, contentType: null });
}

interface Asset {
  id: string;
  url: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
}

describe("image assets", () => {
  it("png, jpeg, gif and webp are judged by content, stored in R2 and served publicly with a long cache", async () => {
    const org = await createOrg();
    for (const [data, type] of [
      [png, "image/png"],
      [jpg, "image/jpeg"],
      [gif, "image/gif"],
      [webp, "image/webp"],
    ] as const) {
      const bytes = bytesOf(data);
      // The name says nothing: a PNG named .txt is still a PNG.
      const res = await upload(org, bytes, "logo.txt", "text/plain");
      expect(res.status, await res.clone().text()).toBe(201);
      const a = (await res.json()) as Asset;
      expect(a).toMatchObject({ content_type: type, bytes: bytes.byteLength });
      expect(a.width).toBeGreaterThan(0);
      expect(a.height).toBeGreaterThan(0);
      const served = await call(new URL(a.url).pathname);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe(type);
      expect(served.headers.get("cache-control")).toContain("max-age=31536000");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    }
    const list = await json<{ items: Asset[] }>("/api/v1/assets", { key: org.key });
    expect(list.items.map((a) => a.content_type)).toEqual([
      "image/webp",
      "image/gif",
      "image/jpeg",
      "image/png",
    ]);
  });

  it("refuses what is not one of the four (a text file named .png, SVG, BMP) and what is over 5 MB", async () => {
    const org = await createOrg();
    const text = new TextEncoder().encode("not an image at all, whatever the name says\n");
    expect((await upload(org, text, "photo.png", "image/png")).status).toBe(415);
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    const refused = await upload(org, svg, "logo.svg", "image/svg+xml");
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain("SVG");
    for (const data of [bmp])
      expect((await upload(org, bytesOf(data), "x.png", "image/png")).status).toBe(415);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(bytesOf(png));
    expect((await upload(org, big, "big.png", "image/png")).status).toBe(413);
    // JSON is not an upload.
    expect((await call("/api/v1/assets", { key: org.key, body: { file: "x" } })).status).toBe(415);
    expect((await json<{ items: unknown[] }>("/api/v1/assets", { key: org.key })).items).toEqual([]);
  });

  it("tenancy: another organization's asset is not listed and cannot be deleted; deleted, its URL answers 404", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const a = (await (await upload(org, bytesOf(png), "logo.png")).json()) as Asset;
    expect((await json<{ items: Asset[] }>("/api/v1/assets", { key: other.key })).items).toEqual([]);
    await json(`/api/v1/assets/${a.id}`, { key: other.key, method: "DELETE", expect: 404 });
    expect((await call(new URL(a.url).pathname)).status).toBe(200);
    await json(`/api/v1/assets/${a.id}`, { key: org.key, method: "DELETE", expect: 200 });
    expect((await call(new URL(a.url).pathname)).status).toBe(404);
    expect((await call("/i/ast_nothing")).status).toBe(404);
  });
});
