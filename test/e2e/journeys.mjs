// The browser journeys of issue 15, in order: each leaves what the next one uses.
import assert from "node:assert/strict";

const poll = async (what, fn, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
};

const state = {};

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
      await page.locator("#s0_name").fill("Bienvenue");
      await page.locator("#s0_trigger").selectOption("entry");
      await page.locator("#s0_template_id").selectOption(state.templateA);
      await page
        .locator("details", { has: page.locator("#s0_v0_name") })
        .locator("summary")
        .click();
      await page.locator("#s0_v0_name").fill("A");
      await page.locator("#s0_v0_template_id").selectOption(state.templateA);
      await page.locator("#s0_v0_weight").fill("50");
      await page.locator("#s0_v1_name").fill("B");
      await page.locator("#s0_v1_template_id").selectOption(state.templateB);
      await page.locator("#s0_v1_weight").fill("50");
      await page.locator('form[action$="/steps"] button[type=submit]').click();
      await page.waitForLoadState("load");
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
      await page.getByLabel("Field 1").selectOption("tags");
      await page.locator("#c0_operator").selectOption("contains");
      await page.locator("#c0_value").fill("vip");
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
      await ctx.visit(page, `/app/segments/${state.segment}`);
      await ctx.visit(page, "/app/segments");
    },
  ],
  [
    "a campaign dry run",
    async (page, ctx) => {
      await ctx.visit(page, "/app/campaigns/new");
      await page.getByLabel("Name", { exact: true }).fill("Soldes d'hiver");
      await page.getByLabel("Template").selectOption(state.templateA);
      await page.getByLabel("Segments").selectOption(state.segment);
      await page.getByLabel("From (email)").fill("bonjour@atelier.example");
      await page.getByRole("button", { name: "Create" }).click();
      await page.waitForURL(/\/app\/campaigns\/cmp/);
      const url = page.url();
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
];
