import { expect, it } from "vitest";
import png from "../fixtures/images/python.png?inline";
import { call, createOrg, json, type TestOrg } from "../helpers/api";

const bytesOf = (dataUrl: string) =>
  Uint8Array.from(atob(dataUrl.split(",")[1] ?? ""), (ch) => ch.charCodeAt(0));

async function upload(org: TestOrg) {
  const form = new FormData();
  form.set("file", new File([bytesOf(png)], "logo.png"));
  const res = await call("/api/v1/assets", { key: org.key, method: "POST", raw: form, contentType: null });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

const design = (blocks: unknown[]) => ({
  blocks: [...blocks, { type: "footer", address: "1 rue Principale" }],
});

it("an image block by asset_id: the organization's image only, rendered from the Worker's public URL", async () => {
  const org = await createOrg();
  const asset = await upload(org);
  const t = await json<{ id: string; html: string }>("/api/v1/templates", {
    key: org.key,
    body: {
      name: "Logo",
      subject: "s",
      design: design([{ type: "image", asset_id: asset.id, alt: "Logo" }]),
    },
    expect: 201,
  });
  expect(t.html).toContain(`src="{{ tracking_base }}/i/${asset.id}"`);
  const c = await json<{ id: string }>("/api/v1/contacts", {
    key: org.key,
    body: { email: "a@example.com" },
    expect: 201,
  });
  const preview = await json<{ html: string }>(`/api/v1/templates/${t.id}/preview`, {
    key: org.key,
    body: { contact_id: c.id },
  });
  expect(preview.html).toContain(`src="${asset.url}"`);
  // Another organization's image, an unknown one, or neither src nor asset_id: 422.
  const other = await createOrg();
  const foreign = await json<{ error: { message: string } }>("/api/v1/templates", {
    key: other.key,
    body: { name: "x", subject: "s", design: design([{ type: "image", asset_id: asset.id, alt: "x" }]) },
    expect: 422,
  });
  expect(foreign.error.message).toContain(asset.id);
  const none = await json<{ error: { details: { field: string }[] } }>("/api/v1/templates", {
    key: org.key,
    body: { name: "x", subject: "s", design: design([{ type: "image", alt: "x" }]) },
    expect: 422,
  });
  expect(none.error.details[0]?.field).toBe("design.blocks.0.src");
});

it("a products block by product_ids: the products written in as saved, escaped, Liquid-inert; unknown ids refused", async () => {
  const org = await createOrg();
  for (const p of [
    {
      id: "mug",
      name: "Mug <b>bleu</b> {{ secret }}",
      price: 12.5,
      currency: "EUR",
      url: "https://shop.example.com/mug",
      image_url: "https://cdn.example.com/mug.jpg",
    },
    { id: "tee", name: "T-shirt", price: 25, currency: "EUR" },
  ])
    await json("/api/v1/products", { key: org.key, body: p, expect: 200 });
  const t = await json<{ id: string; html: string; text: string }>("/api/v1/templates", {
    key: org.key,
    body: {
      name: "Picks",
      subject: "s",
      design: design([{ type: "products", source: "product_ids", product_ids: ["mug", "tee"], columns: 2 }]),
    },
    expect: 201,
  });
  expect(t.html).toContain("Mug &lt;b&gt;bleu&lt;/b&gt; &#123;&#123; secret }}");
  expect(t.html).toMatch(
    /<a href="https:\/\/shop\.example\.com\/mug"[^>]*><img src="https:\/\/cdn\.example\.com\/mug\.jpg"/,
  );
  expect(t.html).toContain("12.5 EUR");
  expect(t.text).toContain("- T-shirt");
  const c = await json<{ id: string }>("/api/v1/contacts", {
    key: org.key,
    body: { email: "b@example.com" },
    expect: 201,
  });
  const preview = await json<{ html: string }>(`/api/v1/templates/${t.id}/preview`, {
    key: org.key,
    body: { contact_id: c.id },
  });
  // Liquid did not read the name: its braces are still there (as entities, shown as braces).
  expect(preview.html).toContain("&#123;&#123; secret }}");
  await json("/api/v1/templates", {
    key: org.key,
    body: {
      name: "x",
      subject: "s",
      design: design([{ type: "products", source: "product_ids", product_ids: ["nope"] }]),
    },
    expect: 422,
  });
  const missing = await json<{ error: { details: { field: string }[] } }>("/api/v1/templates", {
    key: org.key,
    body: { name: "x", subject: "s", design: design([{ type: "products", source: "product_ids" }]) },
    expect: 422,
  });
  expect(missing.error.details[0]?.field).toBe("design.blocks.0.product_ids");
});
