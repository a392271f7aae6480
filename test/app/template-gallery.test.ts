import { expect, it } from "vitest";
import { json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

it("templates: a starter design copied from the new-template page opens with its check in the block editor", async () => {
  const { browser, org } = await signedIn();
  await browser.get("/app/templates/new");
  expect(browser.last).toContain('<option value="winback-fr"');
  const made = await browser.post("/app/templates/from-gallery", { gallery_id: "winback-fr" });
  expect(made.status).toBe(303);
  const page = made.headers.get("location") as string;
  await browser.get(page);
  expect(browser.last).toContain("Vous nous manquez: No problem found in the email.");
  expect(browser.last).toContain('<div id="designer">');
  const id = page.split("/").pop() as string;
  const t = await json<{ design: { blocks: unknown[] }; preheader: string; locale: string }>(
    `/api/v1/templates/${id}`,
    {
      key: org.key,
    },
  );
  expect(t.design.blocks.length).toBeGreaterThan(3);
  expect(t.preheader).toBe("Une petite attention pour votre retour.");
  expect(t.locale).toBe("fr");
  // A test send from the page: to a team member only.
  await json("/api/v1/users", {
    key: org.key,
    body: { name: "Léa", email: "lea@shop.example" },
    expect: 201,
  });
  await browser.get(page);
  expect(browser.last).toContain('<option value="lea@shop.example">');
  const sent = await browser.post(`${page}/test-send`, { email: "lea@shop.example", contact_id: "" });
  expect(sent.status).toBe(200);
  expect(browser.last).toContain("Test sent to lea@shop.example");
  await browser.get(page);
  const refused = await browser.post(`${page}/test-send`, {
    email: "boss@elsewhere.example",
    contact_id: "",
  });
  expect(refused.status).toBe(422);
  await browser.get("/app/templates/new");
  const unknown = await browser.post("/app/templates/from-gallery", { gallery_id: "nope" });
  expect(unknown.headers.get("location")).toBe("/app/templates/new");
});
