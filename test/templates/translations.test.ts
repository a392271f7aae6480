import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { messages } from "../../src/db/schema";
import { json } from "../helpers/api";
import { deliver, enqueueSend, outcomeSpy, sendingFixture } from "../helpers/sending";

it("a template's translations: validated as templates of the organization, returned, and a contact's locale picks one", async () => {
  const f = await sendingFixture();
  const key = f.org.key;
  const fr = await json<{ id: string }>("/api/v1/templates", {
    key,
    body: { name: "Bienvenue", subject: "Bonjour {{ first_name }}", html: "<p>Bonjour</p>", locale: "fr" },
    expect: 201,
  });
  const ptBr = await json<{ id: string }>("/api/v1/templates", {
    key,
    body: { name: "Boas-vindas", subject: "Olá {{ first_name }}", html: "<p>Olá</p>", locale: "pt-BR" },
    expect: 201,
  });
  // Unknown ids and the template itself are refused, naming the language.
  const unknown = await json<{ error: { details: { field: string }[] } }>(
    `/api/v1/templates/${f.template.id}`,
    {
      key,
      method: "PATCH",
      body: { translations: { fr: "tpl_nope" } },
      expect: 422,
    },
  );
  expect(unknown.error.details[0]?.field).toBe("translations.fr");
  const self = await json<{ error: { details: { message: string }[] } }>(
    `/api/v1/templates/${f.template.id}`,
    {
      key,
      method: "PATCH",
      body: { translations: { de: f.template.id } },
      expect: 422,
    },
  );
  expect(self.error.details[0]?.message).toBe("is the template itself");
  await json(`/api/v1/templates/${f.template.id}`, {
    key,
    method: "PATCH",
    body: { translations: { not_a_tag: fr.id } },
    expect: 422,
  });
  const other = await sendingFixture();
  await json(`/api/v1/templates/${other.template.id}`, {
    key: other.org.key,
    method: "PATCH",
    body: { translations: { fr: fr.id } },
    expect: 422,
  });
  const patched = await json<{ locale: string; translations: Record<string, string> }>(
    `/api/v1/templates/${f.template.id}`,
    {
      key,
      method: "PATCH",
      body: { locale: "en", translations: { fr: fr.id, "PT-br": ptBr.id } },
      expect: 200,
    },
  );
  expect(patched.locale).toBe("en");
  expect(patched.translations).toEqual({ fr: fr.id, "pt-br": ptBr.id });

  // Contacts: fr-CA matches fr by its language, pt-BR exactly, de has none (the template itself).
  const contacts: Record<string, string> = {};
  for (const locale of ["fr-CA", "pt-BR", "de", null]) {
    const c = await json<{ id: string; locale: string | null }>("/api/v1/contacts", {
      key,
      body: { email: `${locale ?? "none"}@example.com`, first_name: "Ada", ...(locale ? { locale } : {}) },
      expect: 201,
    });
    expect(c.locale).toBe(locale);
    contacts[locale ?? "none"] = c.id;
  }
  await json(`/api/v1/contacts/${contacts.none}`, {
    key,
    method: "PATCH",
    body: { locale: "fr_FR" },
    expect: 422,
  });

  const consumer = createSendConsumer({ notify: outcomeSpy().notify });
  const bodies = [];
  for (const contactId of Object.values(contacts))
    bodies.push(
      (
        await enqueueSend(f.tenant, {
          keyParts: [f.org.id, f.scenarioId, 1, contactId, "tr"],
          contactId,
          scenarioId: f.scenarioId,
          stepOrder: 1,
          variantName: "A",
          templateId: f.template.id,
        })
      ).body,
    );
  await deliver(consumer, bodies);
  const rows = await f.tenant.db.select().from(messages).where(eq(messages.scenarioId, f.scenarioId)).all();
  const subjectOf = (id: string) => rows.find((m) => m.contactId === id)?.subject;
  expect(subjectOf(contacts["fr-CA"] as string)).toBe("Bonjour Ada");
  expect(subjectOf(contacts["pt-BR"] as string)).toBe("Olá Ada");
  expect(subjectOf(contacts.de as string)).toBe("Hello Ada");
  expect(subjectOf(contacts.none as string)).toBe("Hello Ada");
});

it("a CSV import sets the contact's locale; a bad tag rejects the line", async () => {
  const f = await sendingFixture();
  const csv = "email,first_name,locale\nlea@example.com,Léa,fr-CA\nbob@example.com,Bob,not a tag\n";
  const res = await json<{ created: number; rejected: { line: number; reason: string }[] }>(
    "/api/v1/contacts/import",
    { key: f.org.key, raw: csv, contentType: "text/csv", expect: 200 },
  );
  expect(res.created).toBe(1);
  expect(res.rejected[0]?.reason).toContain("locale");
  const list = await json<{ items: { email: string; locale: string }[] }>(
    "/api/v1/contacts?email=lea@example.com",
    {
      key: f.org.key,
    },
  );
  expect(list.items[0]?.locale).toBe("fr-CA");
});
