import type { App } from "../../app-env";
import { configOf } from "../../config";
import { getContact, listContacts } from "../../services/contacts/store";
import { testSend } from "../../services/templates/test-send";
import { listUsers } from "../../services/users/store";
import { Csrf } from "../../ui/app/layout";
import { ContactSelect } from "../../ui/app/templates/contact-select";
import { runForm } from "./forms";
import { templateOutcome } from "./template-outcome";
import { type Ctx, field, formOf, pageOf } from "./session";

/** The template page's test send: to a team member, rendered for a contact of one's choice. */
export async function TestSendForm(props: { c: Ctx; id: string }) {
  const p = await pageOf(props.c);
  const t = p.t.templates;
  const tenant = props.c.get("tenant");
  const [users, contacts] = await Promise.all([
    listUsers(tenant, { limit: 100 }),
    listContacts(tenant, { limit: 50 }),
  ]);
  return (
    <section class="card" id="test-send">
      <h2>{t.testSend}</h2>
      {users.items.length ? (
        <form method="post" action={`/app/templates/${encodeURIComponent(props.id)}/test-send`} class="row">
          <Csrf />
          <div>
            <label for="test_email">{t.testTo}</label>
            <select id="test_email" name="email">
              {users.items.map((u) => (
                <option value={u.email}>{`${u.name} <${u.email}>`}</option>
              ))}
            </select>
          </div>
          <ContactSelect id="test_contact" contacts={contacts.items} optional label={t.testFor} />
          <button type="submit" class="secondary">
            {t.testSend}
          </button>
        </form>
      ) : (
        <p class="muted">
          <a href="/app/settings">{t.testNoMembers}</a>
        </p>
      )}
    </section>
  );
}

export function registerTemplateTestSend(app: App) {
  app.post("/app/templates/:id/test-send", async (c) => {
    const form = await formOf(c);
    const tenant = c.get("tenant");
    const id = c.req.param("id");
    const p = await pageOf(c);
    const back = (kind: "ok" | "error", text: string) =>
      templateOutcome(c, id, p.t.templates.testSend, kind, text);
    return runForm(
      async () => {
        const contactId = field(form, "contact_id");
        const contact = contactId ? await getContact(tenant, contactId) : undefined;
        const email = field(form, "email");
        await testSend(c.env, tenant, id, { emails: [email], contact }, configOf(c.env).PUBLIC_BASE_URL);
        return back("ok", `${p.t.templates.testSent} ${email}`);
      },
      (errors) => back("error", errors.map((e) => e.message).join("; ")),
    );
  });
}
