import { describe, expect, it } from "vitest";
import { CHECKED_CLIENTS, unsupportedFeatures } from "../../src/services/templates/css-support";
import { createOrg, json } from "../helpers/api";

interface Item {
  id: string;
  name: string;
  kind: string;
  locale: string;
}

describe("the template gallery", () => {
  it("starter designs in English and French; each copies to a template that passes its own check", async () => {
    const org = await createOrg();
    const { items } = await json<{ items: Item[] }>("/api/v1/template-gallery", { key: org.key });
    for (const locale of ["en", "fr"])
      for (const kind of ["welcome", "newsletter", "promotion", "rebuy", "cross_sell", "winback", "event"])
        expect(
          items.some((i) => i.kind === kind && i.locale === locale),
          `${kind} ${locale}`,
        ).toBe(true);
    const figures: string[] = [];
    for (const item of items) {
      const t = await json<{
        id: string;
        name: string;
        html: string;
        text: string;
        design: { blocks: { type: string }[] };
      }>("/api/v1/templates", { key: org.key, body: { gallery_id: item.id }, expect: 201 });
      expect(t.name).toBe(item.name);
      const { issues } = await json<{ issues: { severity: string; code: string }[] }>(
        `/api/v1/templates/${t.id}/check`,
        {
          key: org.key,
          body: {},
        },
      );
      expect(issues, `${item.id}: ${JSON.stringify(issues)}`).toEqual([]);
      if (item.kind === "cross_sell") expect(t.design.blocks.map((b) => b.type)).toContain("products");
      if (item.locale === "fr") expect(t.text).toContain("Se désabonner: {{ unsubscribe_url }}");
      expect(t.html).not.toMatch(/<script/i);
      const features = await unsupportedFeatures(t.html);
      figures.push(`${item.id} ${features.size}`);
    }
    // The caniemail figure: features of MJML's output some client lacks (each with MJML's fallback),
    // none added by the starter designs themselves (their check above reports no UNSUPPORTED_CSS).
    console.log(`doiuse-email over ${CHECKED_CLIENTS.join(" ")}: ${figures.join(", ")}`);
    // A name of one's own; an unknown starter is named in the error.
    const mine = await json<{ name: string }>("/api/v1/templates", {
      key: org.key,
      body: { gallery_id: "winback-fr", name: "Relance hiver" },
      expect: 201,
    });
    expect(mine.name).toBe("Relance hiver");
    const bad = await json("/api/v1/templates", { key: org.key, body: { gallery_id: "nope" }, expect: 422 });
    expect(JSON.stringify(bad)).toContain("gallery_id");
  });
});
