import { expect, it } from "vitest";
import { json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

it("the template page sets the language and translations with the API's checks", async () => {
  const { browser, org } = await signedIn();
  const make = (name: string) =>
    json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: { name, subject: "s", html: '<p>x</p><a href="{{ unsubscribe_url }}">u</a>' },
      expect: 201,
    });
  const en = await make("Welcome");
  const fr = await make("Bienvenue");
  const page = `/app/templates/${en.id}`;
  await browser.get(page);
  expect(browser.last).toContain('id="translations"');
  expect(browser.last).toContain(`<option value="${fr.id}">Bienvenue</option>`);
  const ok = await browser.post(`${page}/translations`, {
    locale: "en",
    lang: ["fr", ""],
    translation: [fr.id, ""],
  });
  expect(ok.status).toBe(200);
  const t = await json<{ locale: string; translations: Record<string, string> }>(
    `/api/v1/templates/${en.id}`,
    {
      key: org.key,
    },
  );
  expect(t).toMatchObject({ locale: "en", translations: { fr: fr.id } });
  await browser.get(page);
  expect(browser.last).toContain(`<option value="${fr.id}" selected="">Bienvenue</option>`);
  // A bad language tag, or the template itself: 422 with the API's words, nothing changed.
  const bad = await browser.post(`${page}/translations`, {
    locale: "english!",
    lang: ["fr"],
    translation: [fr.id],
  });
  expect(bad.status).toBe(422);
  await browser.get(page);
  const self = await browser.post(`${page}/translations`, {
    locale: "en",
    lang: ["de"],
    translation: [en.id],
  });
  expect(self.status).toBe(422);
  expect(browser.last).toContain("is the template itself");
  const after = await json<{ translations: Record<string, string> }>(`/api/v1/templates/${en.id}`, {
    key: org.key,
  });
  expect(after.translations).toEqual({ fr: fr.id });
});
