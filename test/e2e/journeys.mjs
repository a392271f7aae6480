// The browser journeys of issue 15, in order: each leaves what the next one uses.
import assert from "node:assert/strict";

export const poll = async (what, fn, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
};

const state = {};

/** A new scenario from the new-scenario page (log provider, every hour of every day); answers its URL. */
async function newScenario(page, ctx, name) {
  await ctx.visit(page, "/app/scenarios/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Provider").selectOption("log");
  await page.getByLabel("From (email)").fill("bonjour@atelier.example");
  await page.getByLabel("Window start (HH:MM)").fill("00:00");
  await page.getByLabel("Window end (HH:MM)").fill("24:00");
  await page.getByRole("button", { name: "Create" }).click();
  await page.waitForURL(/\/app\/scenarios\/sc/);
  return page.url();
}

/** Press the mouse on one element and release it on another (a connection on the canvas). */
async function dragTo(page, from, to, at = { x: 0.5, y: 0.05 }) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * at.x, b.y + b.height * at.y, { steps: 12 });
  await page.mouse.up();
}

/** The saved journey, as the API reads it. */
const flowOf = (ctx, url) => ctx.api(`/api/v1/scenarios/${url.split("/").pop()}/flow`, { key: ctx.key });

/** The journey of issue 25, as the API should read it after either way of building it. */
function assertClickJourney(flow, first, reminder) {
  const byId = Object.fromEntries(flow.nodes.map((n) => [n.id, n]));
  const start = byId[flow.start];
  assert.equal(start?.type, "email");
  assert.equal(start.template_id, first);
  const wait = byId[start.next];
  assert.equal(wait?.type, "wait_for");
  assert.equal(wait.event, "clicked");
  assert.deepEqual(wait.within, { days: 2 });
  assert.deepEqual(byId[wait.yes]?.action, { type: "add_tag", config: { tag: "engaged" } });
  assert.equal(byId[wait.no]?.type, "email");
  assert.equal(byId[wait.no].template_id, reminder);
}

export const journeys = [
  [
    "first run: create the organization from the sign-in page",
    async (page, ctx) => {
      await ctx.visit(page, "/app/login");
      await page.getByText("First time here? Create an organization").click();
      await page.getByLabel("Organization name").fill("Atelier Dupont");
      await page.getByLabel("Operator token (ADMIN_TOKEN)").fill(ctx.adminToken);
      await page.getByRole("button", { name: "Create and sign in" }).click();
      ctx.key = await page.locator("#new-key").textContent();
      assert.match(ctx.key, /^em_live_/);
      await page.getByRole("link", { name: "Dashboard" }).click();
      await page.waitForURL(`${ctx.BASE}/app`);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${ctx.BASE}/app/login`);
    },
  ],
  [
    "sign in with an API key",
    async (page, ctx) => {
      await ctx.visit(page, "/app/login");
      await page.getByLabel("API key").fill(ctx.key);
      await page.getByRole("button", { name: "Sign in with the key" }).click();
      await page.waitForURL(`${ctx.BASE}/app`);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Dashboard");
      await ctx.visit(page, "/app");
    },
  ],
  [
    "sign in by email: a team member added in Settings gets a link that works once",
    async (page, ctx) => {
      await ctx.visit(page, "/app/settings");
      const members = page.locator('form[action="/app/settings/members"]');
      await members.getByLabel("Name").fill("Claire Martin");
      await members.getByLabel("Email").fill("claire@atelier.example");
      await members.getByRole("button", { name: "Create" }).click();
      await page.waitForLoadState("load");
      assert.match(await page.locator("main").textContent(), /claire@atelier\.example/);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${ctx.BASE}/app/login`);
      await page.getByLabel("Work email").fill("claire@atelier.example");
      await page.getByRole("button", { name: "Email me a sign-in link" }).click();
      await page.getByText("sign-in link is on its way").waitFor();
      // npm start prints the link in its terminal (the log provider sends nothing).
      const link = await poll(
        "the sign-in link in the terminal",
        async () =>
          /\[sign-in\] link for claire@atelier\.example \(valid 15 minutes\): (\S+)/.exec(ctx.log())?.[1],
      );
      await page.goto(link);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${ctx.BASE}/app`);
      // The email itself went through the SEND pipeline to the log provider.
      const sent = await poll(
        "the sign-in email to be sent",
        async () => {
          const m = await ctx.api("/api/v1/messages?limit=50", { key: ctx.key });
          return m.items.find((x) => x.to_email === "claire@atelier.example" && x.status === "sent");
        },
        30_000,
      );
      assert.equal(sent.provider, "log");
      // Used once: the same link now answers the invalid-link page.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.goto(link);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("not valid any more").waitFor();
      // Back to the key for the next journeys.
      await page.getByLabel("API key").fill(ctx.key);
      await page.getByRole("button", { name: "Sign in with the key" }).click();
      await page.waitForURL(`${ctx.BASE}/app`);
    },
  ],
  [
    "import contacts from a CSV, see the rejected row by line",
    async (page, ctx) => {
      await ctx.visit(page, "/app/contacts");
      const csv =
        "email,first_name,tags\njeanne@atelier.example,Jeanne,vip\npaul@atelier.example,Paul,vip\nnot-an-email,Bad,\nclaire@client.example,Claire,\n";
      await page
        .getByLabel("CSV", { exact: true })
        .setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByRole("button", { name: "Import" }).click();
      // The script sends the file in parts: the bar fills, the rejected row keeps its line in the file.
      const rejected = page.locator("#import-live table", { hasText: "Rejected rows" });
      await rejected.waitFor();
      assert.match(await rejected.textContent(), /4not-an-email/);
      assert.equal(await page.locator("#import-progress").evaluate((p) => p.value), 100);
      assert.match(await page.locator("#import-live").textContent(), /Imported: 3 \+ 0/);
      await ctx.visit(page, "/app/contacts");
      const link = page.getByRole("link", { name: "jeanne@atelier.example" });
      state.jeanne = (await link.getAttribute("href")).split("/").pop();
      await link.click();
      await page.waitForURL(/\/app\/contacts\/ct/);
      await ctx.visit(page, `/app/contacts/${state.jeanne}`);
    },
  ],
  [
    "create a template and preview it for a contact",
    async (page, ctx) => {
      await ctx.visit(page, "/app/templates/new");
      await page.getByLabel("Name", { exact: true }).fill("Bienvenue");
      await page.getByLabel("Subject", { exact: true }).fill("Bonjour {{ first_name }}");
      await page.getByLabel("HTML", { exact: true }).fill("<h1>Bonjour {{ first_name }}</h1><p>Merci !</p>");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForURL(/\/app\/templates\/tpl/);
      state.templateA = page.url().split("/").pop().split("?")[0];
      await page.getByLabel("Preview for contact").selectOption({ label: "jeanne@atelier.example" });
      await page.getByRole("button", { name: "Preview" }).click();
      const frame = page.frameLocator("iframe[name=preview]");
      await frame.locator("h1").waitFor();
      assert.equal(await frame.locator("h1").textContent(), "Bonjour Jeanne");
      // Live: typing re-renders the preview, no button needed.
      await page.getByLabel("HTML", { exact: true }).fill("<h1>Salut {{ first_name }}</h1>");
      await poll(
        "the live preview",
        async () => (await frame.locator("h1").textContent()) === "Salut Jeanne",
        10_000,
      );
      await page.getByLabel("HTML", { exact: true }).fill("<h1>Bonjour {{ first_name }}</h1><p>Merci !</p>");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForURL(/saved=1/);
      await ctx.visit(page, `/app/templates/${state.templateA}`);
      const b = await ctx.api("/api/v1/templates", {
        key: ctx.key,
        body: { name: "Relance", subject: "Toujours là ?", html: "<p>Un rappel</p>" },
      });
      state.templateB = b.id;
    },
  ],
  [
    "build a two-step scenario with a 50/50 A/B step, start it, see the sent counts",
    async (page, ctx) => {
      await ctx.visit(page, "/app/scenarios/new");
      await page.getByLabel("Name", { exact: true }).fill("Parcours de bienvenue");
      await page.getByLabel("Provider").selectOption("log");
      await page.getByLabel("From (email)").fill("bonjour@atelier.example");
      // Every day, all day: the entry step goes out now, whatever the clock says.
      await page.getByLabel("Window start (HH:MM)").fill("00:00");
      await page.getByLabel("Window end (HH:MM)").fill("24:00");
      await page.getByRole("button", { name: "Create" }).click();
      await page.waitForURL(/\/app\/scenarios\/sc/);
      const url = page.url();
      // The steps form, behind its disclosure (the canvas above is the other way to build it).
      await page.getByText("Steps form").click();
      await page.locator("#s0_name").fill("Bienvenue");
      await page.locator("#s0_trigger").selectOption("entry");
      await page.locator("#s0_template_id").selectOption(state.templateA);
      await page.locator("details:has(#s0_v0_name):not(:has(details))").locator("summary").click();
      await page.locator("#s0_v0_name").fill("A");
      await page.locator("#s0_v0_template_id").selectOption(state.templateA);
      await page.locator("#s0_v0_weight").fill("50");
      await page.locator("#s0_v1_name").fill("B");
      await page.locator("#s0_v1_template_id").selectOption(state.templateB);
      await page.locator("#s0_v1_weight").fill("50");
      await page.locator('form[action$="/steps"] button[type=submit]').click();
      await page.waitForLoadState("load");
      await page.getByText("Steps form").click();
      await page.locator("#s1_name").fill("Relance");
      await page.locator("#s1_trigger").selectOption("not_opened");
      await page.locator("#s1_parent_step_order").fill("1");
      await page.locator("#s1_delay_days").fill("3");
      await page.locator("#s1_template_id").selectOption(state.templateB);
      await page.locator('form[action$="/steps"] button[type=submit]').click();
      await page.waitForLoadState("load");
      assert.match(await page.locator("ul.tree").textContent(), /A 50% \/ B 50%/);
      assert.match(await page.locator("ul.tree").textContent(), /2\. Relance/);
      await page.getByRole("button", { name: "Start" }).click();
      await page.waitForURL(url);
      assert.match(await page.locator(".badge").first().textContent(), /active/);
      const sent = await poll(
        "the entry step's sends",
        async () => {
          await page.goto(url);
          const text = await page.locator("svg.chart").first().textContent();
          const m = /Sent: (\d+)/.exec(text ?? "");
          return m && Number(m[1]) >= 3 ? Number(m[1]) : 0;
        },
        90_000,
      );
      assert.ok(sent >= 3, `sent ${sent}`);
      state.scenario = url.split("/").pop();
      await ctx.visit(page, `/app/scenarios/${state.scenario}`);
      await ctx.visit(page, "/app/scenarios");
      await ctx.visit(page, "/app");
      assert.match(await page.locator("main").textContent(), /Emails sent: ?[1-9]/);
    },
  ],
  [
    "a journey on the canvas: entry, email, wait for a click (2 days), yes: tag engaged, no: a reminder; saved, started, counts on the nodes",
    async (page, ctx) => {
      const url = await newScenario(page, ctx, "Relance au clic");
      const canvas = page.locator(".react-flow");
      const panel = page.locator(".jp");
      const box = (id) => canvas.locator(`[data-node-id="${id}"]`);
      await box("__entry").click();
      await page.locator('[data-palette="email"]').click();
      await box("email-1").waitFor();
      await panel.getByLabel("Template").selectOption(state.templateA);
      // Added after the selected node: the email is selected, the wait follows it.
      await page.locator('[data-palette="wait_for"]').click();
      await box("wait-for-1").waitFor();
      assert.equal(await panel.getByLabel("Event").inputValue(), "clicked");
      assert.equal(await panel.locator('input[name="within-days"]').inputValue(), "2");
      // On the first free branch of the wait: yes.
      await page.locator('[data-palette="action"]').click();
      await box("action-1").waitFor();
      await panel.getByLabel("Tag").fill("engaged");
      await panel.getByLabel("Tag").press("Tab");
      // The reminder, added on its own: the check says it is not reached, on the node itself ...
      await canvas.locator(".react-flow__pane").click({ position: { x: 8, y: 8 } });
      await page.locator('[data-palette="email"]').click();
      await box("email-2").waitFor();
      await panel.getByLabel("Template").selectOption(state.templateB);
      await box("email-2").locator(".jn-issue").waitFor();
      assert.match(await box("email-2").locator(".jn-issue").textContent(), /unreachable/);
      // ... then connected by dragging from the wait's "no" handle to it, and moved aside.
      await dragTo(
        page,
        box("wait-for-1").locator('.react-flow__handle[data-handleid="no"]'),
        box("email-2"),
      );
      await canvas.locator('.react-flow__edge[data-id="wait-for-1:no"]').waitFor();
      await box("email-2").locator(".jn-issue").waitFor({ state: "detached" });
      const before = await box("email-2").boundingBox();
      await dragTo(page, box("email-2").locator(".jn-head"), box("email-2").locator(".jn-head"), {
        x: 1.4,
        y: 1.5,
      });
      const after = await box("email-2").boundingBox();
      assert.ok(Math.abs(after.x - before.x) > 20, "the reminder moved");
      // Undo puts it back, redo moves it again.
      await page.getByRole("button", { name: "Undo" }).click();
      await poll(
        "undo to move it back",
        async () => Math.abs((await box("email-2").boundingBox()).x - before.x) < 2,
        5000,
      );
      await page.getByRole("button", { name: "Redo" }).click();
      await poll(
        "redo to move it again",
        async () => Math.abs((await box("email-2").boundingBox()).x - after.x) < 2,
        5000,
      );
      await page.getByRole("button", { name: "Save journey" }).click();
      await page.getByText("Saved: version 1").waitFor();
      assertClickJourney(await flowOf(ctx, url), state.templateA, state.templateB);
      await ctx.visit(page, new URL(url).pathname);
      await page.getByRole("button", { name: "Start" }).click();
      await page.waitForURL(url);
      const contacts = await ctx.api("/api/v1/contacts?limit=3", { key: ctx.key });
      const id = url.split("/").pop();
      const enrolled = await ctx.api(`/api/v1/scenarios/${id}/enroll`, {
        key: ctx.key,
        body: { contact_ids: contacts.items.map((c) => c.id) },
      });
      assert.ok(enrolled.enrolled >= 1, JSON.stringify(enrolled));
      await poll(
        "the counts on the nodes",
        async () => {
          await page.goto(url);
          await box("wait-for-1").waitFor();
          const email = await box("email-1").locator("[data-counts]").textContent();
          const wait = await box("wait-for-1").locator("[data-counts]").textContent();
          return /sent [1-9]/.test(email) && /waiting [1-9]/.test(wait);
        },
        90_000,
      );
      assert.match(await box("__entry").textContent(), /runs [1-9]/);
      // The README's picture of the canvas.
      await page.locator(".journey").screenshot({ path: ".ci/out/screenshots/journey-canvas.png" });
      state.journey = id;
    },
  ],
  [
    "the same journey through the outline, by keyboard only",
    async (page, ctx) => {
      const url = await newScenario(page, ctx, "Relance au clic (clavier)");
      const outline = page.locator(".outline");
      const panel = page.locator(".jp");
      const item = (id) => outline.locator(`li[data-node-id="${id}"]`);
      /** Choose a node type in the "add" control of an outline item, then press its Add button. */
      const addUnder = async (scope, type) => {
        const select = scope.locator(".ol-add select").first();
        await select.focus();
        await select.selectOption(type);
        await scope.locator(".ol-add button").first().press("Enter");
      };
      await addUnder(item("__entry"), "email");
      await item("email-1").waitFor();
      // The panel has the focus: its fields are the next stops of the Tab key.
      // (The focus moves once the panel has rendered: wait for it rather than race it.)
      await poll(
        "the focus on the panel's first field",
        async () => (await page.evaluate(() => document.activeElement?.id)) === "jp-title",
        5000,
      );
      await panel.getByLabel("Template").selectOption(state.templateA);
      await addUnder(item("email-1"), "wait_for");
      await item("wait-for-1").waitFor();
      const branches = item("wait-for-1").locator(".ol-branch");
      await addUnder(branches.nth(0), "action");
      await item("action-1").waitFor();
      await panel.getByLabel("Tag").press("Control+A");
      await page.keyboard.type("engaged");
      await page.keyboard.press("Tab");
      await addUnder(item("wait-for-1").locator(".ol-branch").nth(1), "email");
      await item("email-2").waitFor();
      await panel.getByLabel("Template").selectOption(state.templateB);
      await page.getByRole("button", { name: "Save journey" }).press("Enter");
      await page.getByText("Saved: version 1").waitFor();
      assertClickJourney(await flowOf(ctx, url), state.templateA, state.templateB);
      // Edit by keyboard: select the wait in the outline, change its delay in the panel, save.
      await item("wait-for-1").locator(".ol-node").first().press("Enter");
      // As above: the panel takes the focus once it has rendered the node; focus the field after that.
      await poll(
        "the focus on the panel's title",
        async () => (await page.evaluate(() => document.activeElement?.id)) === "jp-title",
        5000,
      );
      const days = panel.locator('input[name="within-days"]');
      await days.focus();
      await poll(
        "the focus on the days field",
        async () =>
          (await page.evaluate(() => document.activeElement?.getAttribute("name"))) === "within-days",
        5000,
      );
      await page.keyboard.press("Control+A");
      await page.keyboard.type("3");
      await page.keyboard.press("Tab");
      await page.getByRole("button", { name: "Save journey" }).press("Enter");
      await page.getByText("Saved: version 2").waitFor();
      const saved = await flowOf(ctx, url);
      assert.deepEqual(saved.nodes.find((n) => n.id === "wait-for-1").within, { days: 3 });
      await ctx.visit(page, new URL(url).pathname);
    },
  ],
  [
    "a condition node with a nested group, without JSON",
    async (page, ctx) => {
      const url = await newScenario(page, ctx, "Condition imbriquée");
      const outline = page.locator(".outline");
      const panel = page.locator(".jp");
      const entry = outline.locator('li[data-node-id="__entry"]');
      await entry.locator(".ol-add select").first().selectOption("condition");
      await entry.locator(".ol-add button").first().click();
      await outline.locator('li[data-node-id="condition-1"]').waitFor();
      // tags contains vip AND (score >= 20 OR attributes.plan = pro)
      await panel.getByLabel("Value 1", { exact: true }).fill("vip");
      await panel.getByLabel("Value 1", { exact: true }).press("Tab");
      await panel.getByRole("button", { name: "Add a group" }).click();
      const field21 = panel.getByLabel("Field 2.1", { exact: true });
      await field21.fill("score");
      await field21.press("Tab");
      await panel.getByLabel("Operator 2.1").selectOption("gte");
      await panel.getByLabel("Value 2.1").fill("20");
      await panel.getByLabel("Value 2.1").press("Tab");
      await panel
        .locator("fieldset.jf-group fieldset.jf-group")
        .getByRole("button", { name: "Add a condition" })
        .click();
      await panel.getByLabel("Field 2.2", { exact: true }).fill("attributes.plan");
      await panel.getByLabel("Field 2.2", { exact: true }).press("Tab");
      await panel.getByLabel("Operator 2.2").selectOption("eq");
      await panel.getByLabel("Value 2.2").fill("pro");
      await panel.getByLabel("Value 2.2").press("Tab");
      // Both branches end in an exit (a branch with nowhere to go is an issue the editor names).
      for (const i of [0, 1]) {
        const branch = outline.locator('li[data-node-id="condition-1"]').locator(".ol-branch").nth(i);
        await branch.locator(".ol-add select").first().selectOption("exit");
        await branch.locator(".ol-add button").first().click();
      }
      await outline.locator('li[data-node-id="exit-2"]').waitFor();
      await page.getByRole("button", { name: "Save journey" }).click();
      await page.getByText("Saved: version 1").waitFor();
      await ctx.look(page, "journey-condition-nested");
      const flow = await flowOf(ctx, url);
      assert.deepEqual(flow.nodes.find((n) => n.id === "condition-1").criteria, {
        logic: "and",
        conditions: [
          { field: "tags", operator: "contains", value: "vip" },
          {
            logic: "or",
            conditions: [
              { field: "score", operator: "gte", value: 20 },
              { field: "attributes.plan", operator: "eq", value: "pro" },
            ],
          },
        ],
      });
    },
  ],
  [
    "inbox quick actions: +1 day at once, then done",
    async (page, ctx) => {
      await ctx.api("/api/v1/interactions", {
        key: ctx.key,
        body: {
          type: "call",
          title: "Rappeler Jeanne",
          contact_id: state.jeanne,
          next_action_at: new Date(Date.now() - 3600_000).toISOString(),
        },
      });
      await ctx.visit(page, "/app/inbox");
      const card = page.locator("[data-item]", { hasText: "Rappeler Jeanne" });
      const before = await card.locator("[data-due]").textContent();
      // The card changes at once; the next action waits for the server's answer, which carries
      // the new version the following request must send.
      const answered = () =>
        page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/app/inbox/"));
      const later = answered();
      await card.getByRole("button", { name: "+1 day" }).click();
      await poll(
        "the new due date",
        async () => (await card.locator("[data-due]").textContent()) !== before,
        10_000,
      );
      assert.equal((await later).status(), 200);
      const done = answered();
      await card.getByRole("button", { name: "Done" }).click();
      await poll("the card to leave", async () => !(await card.isVisible()), 10_000);
      assert.equal((await done).status(), 200);
      const items = await ctx.api("/api/v1/inbox?status=done", { key: ctx.key });
      assert.ok(items.items.some((i) => i.title === "Rappeler Jeanne"));
      // Left open, for the dashboard's "to handle" and the inbox screenshot.
      for (const [title, hours] of [
        ["Envoyer le devis à Paul", -20],
        ["Relancer Claire", 30],
      ])
        await ctx.api("/api/v1/interactions", {
          key: ctx.key,
          body: {
            type: "task",
            title,
            contact_id: state.jeanne,
            next_action_at: new Date(Date.now() + hours * 3600_000).toISOString(),
          },
        });
      await ctx.visit(page, "/app/inbox");
    },
  ],
  [
    "a segment with its live count",
    async (page, ctx) => {
      await ctx.visit(page, "/app/segments/new");
      await page.getByLabel("Name", { exact: true }).fill("Clients VIP");
      await page.getByLabel("Field 1", { exact: true }).fill("tags");
      await page.locator("#c0_operator").selectOption("contains");
      await page.locator("#c0_value").fill("vip");
      // A nested group, by the builder's buttons: (tags contains vip) AND (email contains @ OR score >= 0).
      await page.getByRole("button", { name: "+ Add a group" }).click();
      await page.getByLabel("Match (Group 2)").selectOption("or");
      await page.getByLabel("Field 2.1", { exact: true }).fill("email");
      await page.getByLabel("Operator 2.1").selectOption("contains");
      await page.getByLabel("Value 2.1").fill("@");
      await page.locator("[data-group=c1]").getByRole("button", { name: "+ Add a condition" }).click();
      await page.getByLabel("Field 2.2", { exact: true }).fill("score");
      await page.getByLabel("Operator 2.2").selectOption("gte");
      await page.getByLabel("Value 2.2").fill("0");
      assert.equal(await page.getByLabel("Value 1", { exact: true }).inputValue(), "vip");
      await ctx.look(page, "segment-builder-nested");
      // Live: the count follows the criteria without a click.
      await poll(
        "the live count",
        async () => (await page.locator("#segment-count").textContent()) === "2",
        10_000,
      );
      await page.getByRole("button", { name: "Contacts" }).click();
      await page.locator("#segment-count").waitFor();
      assert.equal(await page.locator("#segment-count").textContent(), "2");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForURL(/\/app\/segments\/seg/);
      state.segment = page.url().split("/").pop();
      const saved = await ctx.api(`/api/v1/segments/${state.segment}`, { key: ctx.key });
      assert.deepEqual(saved.criteria, {
        logic: "and",
        conditions: [
          { field: "tags", operator: "contains", value: "vip" },
          {
            logic: "or",
            conditions: [
              { field: "email", operator: "contains", value: "@" },
              { field: "score", operator: "gte", value: 0 },
            ],
          },
        ],
      });
      await ctx.visit(page, `/app/segments/${state.segment}`);
      await ctx.visit(page, "/app/segments");
    },
  ],
  [
    "a rule built without JSON: trigger settings, a condition, two actions",
    async (page, ctx) => {
      await ctx.visit(page, "/app/rules/new");
      await page.getByLabel("Name", { exact: true }).fill("Lead chaud");
      // Another trigger shows its own settings (the page script re-renders the draft).
      await page.locator("#trigger").selectOption("lead_score_high");
      await page.locator("#t__threshold").waitFor();
      await page.getByLabel("Score threshold").fill("80");
      await page.getByLabel("Field 1", { exact: true }).fill("tags");
      await page.getByLabel("Operator 1", { exact: true }).selectOption("contains");
      await page.getByLabel("Value 1", { exact: true }).fill("vip");
      await page.getByLabel("Tag", { exact: true }).fill("chaud");
      await page.getByLabel("New action").selectOption("create_task");
      await page.getByRole("button", { name: "+ Add the action" }).click();
      await page.getByLabel("Title", { exact: true }).fill("Appeler {{ first_name }}");
      await page.getByLabel("Due in (minutes)").fill("120");
      await ctx.look(page, "rule-builder");
      assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Lead chaud");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForURL(/\/app\/rules\/(?!new)[^/]+$/);
      const rule = await ctx.api(`/api/v1/rules/${page.url().split("/").pop()}`, { key: ctx.key });
      assert.equal(rule.trigger, "lead_score_high");
      assert.deepEqual(rule.trigger_config, { threshold: 80 });
      assert.deepEqual(rule.conditions, { all: [{ field: "tags", op: "contains", value: "vip" }] });
      assert.deepEqual(
        rule.actions.map((a) => [a.type, a.config]),
        [
          ["add_tag", { tag: "chaud" }],
          ["create_task", { title: "Appeler {{ first_name }}", due_in_minutes: 120 }],
        ],
      );
      await ctx.visit(page, new URL(page.url()).pathname);
    },
  ],
  [
    "a campaign dry run",
    async (page, ctx) => {
      // The wizard: content, audience with its live count, schedule, then the review.
      await ctx.visit(page, "/app/campaigns/new");
      await page.getByLabel("Name", { exact: true }).fill("Soldes d'hiver");
      await page.getByLabel("Template").selectOption(state.templateA);
      await page.getByLabel("From (email)").fill("bonjour@atelier.example");
      await page.getByRole("button", { name: "Next" }).click();
      await page
        .locator("fieldset.choices")
        .first()
        .getByRole("checkbox", { name: /Clients VIP/ })
        .check();
      await poll(
        "the audience's live count",
        async () => (await page.locator("#segment-count").textContent()) === "2",
        10_000,
      );
      await ctx.look(page, "campaign-wizard-audience");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByLabel("Send now, after the review").check();
      await ctx.look(page, "campaign-wizard-schedule");
      await page.getByRole("button", { name: "Review" }).click();
      await page.waitForURL(/\/app\/campaigns\/cmp[^/]*\/review/);
      assert.match(await page.locator("#dry-run").textContent(), /Audience: 2/);
      await page.locator("#checks").waitFor();
      await ctx.look(page, "campaign-wizard-review");
      assert.equal(await page.getByRole("button", { name: "Send now" }).isEnabled(), true);
      const url = page.url().replace(/\/review.*$/, "");
      state.campaign = new URL(url).pathname;
      await ctx.visit(page, state.campaign);
      await page.getByRole("button", { name: "Dry run" }).click();
      await page.locator("#dry-run").waitFor();
      assert.match(await page.locator("#dry-run").textContent(), /Audience: 2/);
      await ctx.visit(page, new URL(url).pathname);
      await ctx.visit(page, "/app/campaigns");
    },
  ],
  [
    "the other pages: rules, settings, templates list, and French",
    async (page, ctx) => {
      await ctx.visit(page, "/app/rules");
      await ctx.visit(page, "/app/rules/new");
      await ctx.visit(page, "/app/settings");
      assert.match(await page.locator("#url-ses").inputValue(), /\/webhooks\/ses\//);
      await ctx.visit(page, "/app/templates");
      await page.getByRole("button", { name: "Français" }).click();
      await page.waitForLoadState("load");
      await ctx.visit(page, "/app/inbox");
      assert.match(await page.locator("main").textContent(), /À faire/);
      await page.getByRole("button", { name: "English" }).click();
      await page.waitForLoadState("load");
    },
  ],
  [
    "deliverability: a sending domain's records turn verified and it ramps; 10,000 suppressions leave a dry run",
    async (page, ctx) => {
      await ctx.visit(page, "/app/settings");
      await page.getByRole("link", { name: "Sending domains" }).click();
      await page.getByLabel("Domain").fill("news.atelier.example");
      await page.getByRole("button", { name: "Register" }).click();
      await page.waitForURL(/\/app\/settings\/domains\/dom/);
      const domainPage = new URL(page.url()).pathname;
      // Each name and value sits in a read-only field, to select or copy.
      await page.locator('input[value="_dmarc.news.atelier.example"]').waitFor();
      assert.match(await page.locator("main h2").first().textContent(), /Pending/);
      // The copy button puts the value on the clipboard and says so.
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: ctx.BASE });
      await page.getByRole("button", { name: "Copy" }).last().click();
      await poll(
        "the copied notice",
        async () => (await page.locator("#live").textContent()) === "Copied.",
        5000,
      );
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^v=DMARC1; p=none/);
      // The records published (the DNS stand-in answers them): a check turns the domain verified.
      ctx.dns["news.atelier.example"] = ["v=spf1 include:amazonses.com ~all"];
      ctx.dns["_dmarc.news.atelier.example"] = ["v=DMARC1; p=none"];
      await page.getByRole("button", { name: "Check now" }).click();
      await page.waitForLoadState("load");
      assert.match(await page.locator("main h2").first().textContent(), /Verified/);
      await page.getByLabel("Emails on day 1").fill("50");
      await page.getByLabel("Daily growth (x)").fill("2");
      await page.getByLabel("Ceiling per day").fill("1000");
      await page.getByRole("button", { name: "Save the ramp" }).click();
      await page.waitForLoadState("load");
      assert.match(await page.locator("main").textContent(), /Allowed today: 50/);
      assert.match(await page.locator("svg.chart").textContent(), /: 50, 100, 200, 400, 800, 1000, 1000/);
      await ctx.visit(page, domainPage);
      await page.locator(".card", { hasText: "DNS records to publish" }).screenshot({
        path: ".ci/out/screenshots/domain-records.png",
      });

      // Before: the campaign's dry run; then 10,000 suppressions, one of them in its audience.
      await ctx.visit(page, state.campaign);
      await page.getByRole("button", { name: "Dry run" }).click();
      await page.locator("#dry-run").waitFor();
      const wouldSend = async () => Number(await page.locator("#dry-run strong").textContent());
      const before = await wouldSend();
      await ctx.visit(page, "/app/settings/suppressions");
      const lines = Array.from({ length: 9999 }, (_, i) => `moved-${i}@old-provider.example`);
      const csv = `email\n${lines.join("\n")}\npaul@atelier.example\n`;
      await page
        .getByLabel("CSV", { exact: true })
        .setInputFiles({ name: "suppressions.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByRole("button", { name: "Import" }).click();
      await poll(
        "the suppression import",
        async () =>
          /Added \+ already on the list: 10000 \+ 0/.test(await page.locator("#import-live").textContent()),
        120_000,
      );
      await ctx.visit(page, "/app/settings/suppressions?q=paul%40atelier.example");
      assert.match(await page.locator("table").textContent(), /paul@atelier\.example/);
      await ctx.visit(page, state.campaign);
      await page.getByRole("button", { name: "Dry run" }).click();
      await page.locator("#dry-run").waitFor();
      assert.equal(await wouldSend(), before - 1);
      assert.match(await page.locator("#dry-run table").textContent(), /suppressed1/);
    },
  ],
  [
    "reports: the period switch, the charts with their table, the breakdown by scenario",
    async (page, ctx) => {
      await ctx.visit(page, "/app");
      await page.getByRole("link", { name: "Reports" }).click();
      await page.waitForURL(/\/app\/reports/);
      await page.getByRole("link", { name: "90 days" }).click();
      await page.waitForURL(/days=90/);
      assert.equal(await page.getByRole("link", { name: "90 days" }).getAttribute("aria-current"), "page");
      assert.ok(await page.locator('svg.chart[aria-label="Sent, opened and clicked"]').count());
      // The scenarios of the earlier journeys sent mail: they are in the breakdown, by name.
      await page.getByRole("link", { name: "Scenario", exact: true }).click();
      await page.waitForURL(/group=scenario/);
      const rows = await page.locator("section.card table tbody tr").count();
      assert.ok(rows >= 1, "the breakdown lists the scenarios that sent");
      await page.getByText("The figures as a table").click();
      await ctx.visit(page, new URL(page.url()).pathname + new URL(page.url()).search);
      await page.screenshot({ path: ".ci/out/screenshots/reports.png", fullPage: true });
    },
  ],
];
