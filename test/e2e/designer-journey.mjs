// The block editor's browser journey (issue 26): a marketer starts from the French win-back design,
// changes the heading, adds a button and moves it up by keyboard, uploads an image, sees the check
// pass, sends a test, and the message the `log` provider stored renders the same blocks in order.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import PostalMime from "postal-mime";
import { poll } from "./journeys.mjs";

const PNG = readFileSync("test/fixtures/images/python.png");

/** The top-level blocks' types and ids, in order. */
const blocksOf = (page) =>
  page
    .locator(".dz-canvas > .dz-list > li")
    .evaluateAll((els) => els.map((e) => ({ id: e.dataset.blockId, type: e.dataset.blockType })));

export const designerJourney = [
  "email designer: the French win-back design edited by blocks, an image uploaded, checked, sent as a test",
  async (page, ctx) => {
    // A team member to send the test to (the sign-in journey adds one; this journey stands alone).
    const users = await ctx.api("/api/v1/users?limit=100", { key: ctx.key });
    if (!users.items.some((u) => u.email === "claire@atelier.example"))
      await ctx.api("/api/v1/users", {
        key: ctx.key,
        body: { name: "Claire Martin", email: "claire@atelier.example" },
      });

    await ctx.visit(page, "/app/templates/new");
    await page.getByLabel("Starter design").selectOption({ label: "Vous nous manquez" });
    await page.getByRole("button", { name: "Use this design" }).click();
    await page.waitForURL(/\/app\/templates\/tpl_/);
    const templatePath = new URL(page.url()).pathname;
    await page.locator(".dz-canvas").waitFor();
    await ctx.look(page, "designer-start");

    // The heading: selected on the canvas, changed in the side panel.
    await page.locator('[data-block-type="heading"] > .dz-card').first().click();
    await page.getByLabel("Heading text").fill("Vous nous manquez, {{ first_name }}");

    // A button after the heading, then moved above it by keyboard.
    await page.getByRole("button", { name: "+ Button" }).click();
    await page.getByLabel("Label", { exact: true }).fill("Revenir maintenant");
    await page.getByLabel("Link address").fill("https://atelier.example/retour");
    // The button shows only to VIP contacts: visible_if through the criteria builder.
    await page.getByText("Show this block only to some contacts").click();
    await page.getByRole("button", { name: "Add a condition" }).click();
    await page.getByLabel("Field 1", { exact: true }).fill("tags");
    await page.getByLabel("Field 1", { exact: true }).press("Tab");
    await page.getByLabel("Operator 1", { exact: true }).selectOption("contains");
    await page.getByLabel("Value 1", { exact: true }).fill("vip");
    await page.getByLabel("Value 1", { exact: true }).press("Tab");
    const before = await blocksOf(page);
    const added = before[before.findIndex((b) => b.type === "heading") + 1];
    assert.equal(
      added?.type,
      "button",
      `the new button sits right after the heading: ${JSON.stringify(before)}`,
    );
    const buttonId = added.id;
    const moveUp = page.locator(`[data-block-id="${buttonId}"] > .dz-tools [data-act="up"]`);
    await moveUp.focus();
    await poll("the focus on Move up", () => moveUp.evaluate((e) => e === document.activeElement), 5000);
    await page.keyboard.press("Enter");
    const after = await blocksOf(page);
    assert.equal(
      after.findIndex((b) => b.id === buttonId) + 1,
      after.findIndex((b) => b.type === "heading"),
    );
    // The focus stays on the moved block: at the top its Move up is disabled, so Move down has it.
    assert.equal(await moveUp.isDisabled(), true);
    await poll(
      "the focus on Move down",
      async () =>
        (await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))) === "Move down",
      5000,
    );
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest("[data-block-id]")?.dataset.blockId),
      buttonId,
    );

    // An image block with an uploaded picture and its alternative text.
    await page.getByRole("button", { name: "+ Image" }).click();
    await page
      .getByLabel("Upload an image")
      .setInputFiles({ name: "atelier.png", mimeType: "image/png", buffer: PNG });
    await page.getByText("Image uploaded").waitFor();
    const src = await page.getByLabel("Image address").inputValue();
    assert.match(src, /\/i\/ast_/);
    await page.getByLabel(/Alternative text/).fill("Notre atelier");

    // Undo takes the alternative text back; redo restores it.
    await page.getByRole("button", { name: "Undo" }).click();
    assert.equal(await page.getByLabel(/Alternative text/).inputValue(), "");
    await page.getByRole("button", { name: "Redo" }).click();
    assert.equal(await page.getByLabel(/Alternative text/).inputValue(), "Notre atelier");

    await page.getByRole("button", { name: "Save design" }).click();
    await page.locator(".dz-status", { hasText: "Saved" }).waitFor();
    assert.equal(await page.locator("#dz-check li.error").count(), 0, "the check finds no error");
    await page.locator("[data-check-ok], #dz-check li").first().waitFor();

    // The preview at phone width, looked at.
    await page.getByRole("button", { name: "Phone", exact: true }).click();
    await page.frameLocator('iframe[name="dz-frame"]').getByText("Revenir maintenant").waitFor();
    await ctx.look(page, "designer-edited");
    await page.locator(".dz-preview").screenshot({ path: ".ci/out/screenshots/designer-phone-preview.png" });

    // The saved design, read back through the API, has the blocks in the order the canvas shows.
    const id = templatePath.split("/").pop();
    const tpl = await ctx.api(`/api/v1/templates/${id}`, { key: ctx.key });
    const order = tpl.design.blocks.map((b) => b.type);
    assert.deepEqual(tpl.design.blocks.find((b) => b.id === buttonId)?.visible_if, {
      logic: "and",
      conditions: [{ field: "tags", operator: "contains", value: "vip" }],
    });
    assert.deepEqual(
      order,
      (await blocksOf(page)).map((b) => b.type),
    );

    // A test send to the team member; the stored message renders the blocks in the same order.
    await ctx.visit(page, templatePath);
    await page.locator("#test_email").selectOption("claire@atelier.example");
    await page.getByRole("button", { name: "Send a test" }).click();
    await page.getByText("Test sent to claire@atelier.example").waitFor();
    const message = await poll(
      "the test message",
      async () => {
        const list = await ctx.api("/api/v1/messages?limit=50", { key: ctx.key });
        const m = list.items.find(
          (x) => x.subject?.startsWith("[Test] Vous nous manquez") && x.status !== "queued",
        );
        return m && (await ctx.api(`/api/v1/messages/${m.id}`, { key: ctx.key }));
      },
      60_000,
    );
    const mail = await PostalMime.parse(message.raw);
    const html = mail.html ?? "";
    // The edited blocks appear in the email in the canvas's order (the image went in after the
    // button, which was selected; the button sits above the heading).
    const marker = { heading: "Vous nous manquez, Jeanne", button: "Revenir maintenant", image: src };
    const edited = tpl.design.blocks.filter(
      (b) => b.id === buttonId || b.type === "heading" || (b.type === "image" && b.src === src),
    );
    assert.deepEqual(
      edited.map((b) => b.type),
      ["button", "image", "heading"],
    );
    const positions = edited.map((b) => html.indexOf(marker[b.type]));
    assert.ok(
      positions.every((p) => p >= 0),
      `every edited block is in the email: ${positions}`,
    );
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
      "in the same order",
    );
    assert.match(html, /alt="Notre atelier"/);

    // A landing page with the same editor: created, published, opened at its address.
    const form = await ctx.api("/api/v1/forms", {
      key: ctx.key,
      body: { name: "Ateliers", fields: ["email", "first_name"], double_opt_in: true, language: "fr" },
    });
    await ctx.visit(page, "/app/landing-pages");
    await page.getByLabel("Name").fill("Ateliers de printemps");
    await page.getByLabel(/^Address \(slug/).fill("printemps");
    await page.getByLabel("Sign-up form on the page").selectOption(form.id);
    await page.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(/\/app\/landing-pages\/lp_/);
    await ctx.visit(page, new URL(page.url()).pathname);
    await page.locator('[data-block-type="form"]').waitFor();
    await page.getByRole("checkbox", { name: /Published/ }).check();
    await page.getByRole("button", { name: "Save design" }).click();
    await page.locator(".dz-status", { hasText: "Saved" }).waitFor();
    const address = await page.locator(".dz-check code").textContent();
    await ctx.visit(page, new URL(address).pathname);
    assert.equal(await page.locator("h1").textContent(), "Ateliers de printemps");
    assert.equal(await page.locator(`form[action$="/f/${form.token}"]`).count(), 1);
  },
];
