import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import PostalMime from "postal-mime";
import { expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { messages } from "../../src/db/schema";
import { type MessageRow, rawOf } from "../../src/services/messages/store";
import { createOrg, json } from "../helpers/api";
import { deliver, outcomeSpy, scenarioSend, sendingFixture } from "../helpers/sending";

it("snippets: names unique per organization, Liquid checked, no circle and at most 3 deep, tenant-scoped", async () => {
  const org = await createOrg();
  const key = org.key;
  const made = await json<{ id: string; name: string }>("/api/v1/snippets", {
    key,
    body: { name: "sign-off", html: "<p>À bientôt, {{ first_name }}</p>" },
    expect: 201,
  });
  expect(made.name).toBe("sign-off");
  await json("/api/v1/snippets", { key, body: { name: "sign-off", html: "<p>x</p>" }, expect: 409 });
  await json("/api/v1/snippets", { key, body: { name: "Sign Off", html: "<p>x</p>" }, expect: 422 });
  await json("/api/v1/snippets", { key, body: { name: "broken", html: "{% if %}" }, expect: 422 });
  // Circles, directly or through another, are refused; so is a chain deeper than 3.
  await json("/api/v1/snippets", { key, body: { name: "loop", html: "{% render 'loop' %}" }, expect: 422 });
  const a = await json<{ id: string }>("/api/v1/snippets", {
    key,
    body: { name: "a", html: "<p>a</p>" },
    expect: 201,
  });
  await json("/api/v1/snippets", { key, body: { name: "b", html: "{% render 'a' %}" }, expect: 201 });
  const circle = await json<{ error: { message: string } }>(`/api/v1/snippets/${a.id}`, {
    key,
    method: "PATCH",
    body: { html: "{% render 'b' %}" },
    expect: 422,
  });
  expect(circle.error.message).toContain("a -> b -> a");
  await json("/api/v1/snippets", { key, body: { name: "c", html: "{% render 'b' %}" }, expect: 201 });
  const deep = await json<{ error: { message: string } }>("/api/v1/snippets", {
    key,
    body: { name: "d", html: "{% render 'c' %}" },
    expect: 422,
  });
  expect(deep.error.message).toContain("at most 3 deep");
  const list = await json<{ items: { name: string }[] }>("/api/v1/snippets", { key });
  expect(list.items.map((s) => s.name).sort()).toEqual(["a", "b", "c", "sign-off"]);
  const stranger = await createOrg();
  await json(`/api/v1/snippets/${made.id}`, { key: stranger.key, expect: 404 });
  await json(`/api/v1/snippets/${made.id}`, { key: stranger.key, method: "DELETE", expect: 404 });
  expect((await json<{ items: unknown[] }>("/api/v1/snippets", { key: stranger.key })).items).toEqual([]);
});

it("{% render %} reads the organization's snippets only, with the contact's variables, in previews, checks and sends", async () => {
  const f = await sendingFixture({
    html: '<p>Bonjour</p>{% render "sign-off" %}<a href="{{ unsubscribe_url }}">stop</a>',
  });
  const key = f.org.key;
  const snippet = await json<{ id: string }>("/api/v1/snippets", {
    key,
    body: { name: "sign-off", html: "<p>À bientôt, {{ first_name }}</p>" },
    expect: 201,
  });
  // Another organization's snippet of the same name is not this one's.
  const other = await createOrg();
  await json("/api/v1/snippets", {
    key: other.key,
    body: { name: "sign-off", html: "<p>OTHER</p>" },
    expect: 201,
  });

  const preview = await json<{ html: string }>(`/api/v1/templates/${f.template.id}/preview`, {
    key,
    body: { contact_id: f.contact.id },
  });
  expect(preview.html).toContain("À bientôt, Ada");
  expect(preview.html).not.toContain("OTHER");
  const check = await json<{ issues: { code: string; severity: string }[] }>(
    `/api/v1/templates/${f.template.id}/check`,
    { key, body: {} },
  );
  expect(check.issues.filter((i) => i.severity === "error")).toEqual([]);

  const { body } = await scenarioSend(f, "snip");
  await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
  const row = (await f.tenant.db
    .select()
    .from(messages)
    .where(eq(messages.scenarioId, f.scenarioId))
    .get()) as MessageRow;
  const mail = await PostalMime.parse((await rawOf(env.ARCHIVE, row)) ?? "");
  expect(mail.html).toContain("À bientôt, Ada");

  // A snippet that is gone, or a path outside them, fails the check as an error.
  await json(`/api/v1/snippets/${snippet.id}`, { key, method: "DELETE" });
  const missing = await json<{ issues: { code: string; severity: string; message: string }[] }>(
    `/api/v1/templates/${f.template.id}/check`,
    { key, body: {} },
  );
  expect(missing.issues.find((i) => i.severity === "error")?.code).toBe("PERSONALIZATION_ERROR");
  await json(`/api/v1/templates/${f.template.id}`, {
    key,
    method: "PATCH",
    body: { html: "<p>{% render '../../wrangler.toml' %}</p>" },
  });
  const outside = await json<{ issues: { code: string; severity: string }[] }>(
    `/api/v1/templates/${f.template.id}/check`,
    { key, body: {} },
  );
  expect(outside.issues.some((i) => i.severity === "error" && i.code === "PERSONALIZATION_ERROR")).toBe(true);
});
