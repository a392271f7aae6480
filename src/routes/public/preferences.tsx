import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { App, AppEnv } from "../../app-env";
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { contacts, suppressions } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped, type Tenant } from "../../lib/tenant";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import { type ConsentType, consentStatements, consentsView } from "../../services/consent/records";
import { type ContactRow, emailHash } from "../../services/contacts";
import { CONSENT_TYPES } from "../../services/segments/fields";
import { verifyPreferences } from "../../services/tracking-tokens";
import { unsubscribeContact } from "../../services/unsubscribe";
import { assetPath } from "../../ui/assets";
import { MessagePage, PreferencesPage } from "../../ui/public/pages";
import { langOf, PUBLIC_TEXT } from "../../ui/public/text";
import { readFields } from "./read-body";

async function contactOf(c: Context<AppEnv>) {
  await limit(c.env.PUBLIC_RATE_LIMIT, clientIp(c) && `prefs:${clientIp(c)}`, "requests from this address");
  const token = await verifyPreferences(configOf(c.env).ENCRYPTION_KEY, c.req.param("token") as string);
  if (!token) {
    await countFailure(c);
    return null;
  }
  const tenant = await tenantFor(c.env, token.o);
  const contact = await tenant.db
    .select()
    .from(contacts)
    .where(scoped(tenant, contacts, eq(contacts.id, token.c)))
    .get();
  return contact ? { tenant, contact, messageId: token.m ?? null } : null;
}

const render = async (
  c: Context<AppEnv>,
  status: 200 | 404,
  body: (css: string, lang: "en" | "fr") => unknown,
) => {
  c.header("Cache-Control", "no-store");
  return c.html(body(await assetPath("public"), langOf(c.req.header("Accept-Language"))) as string, status);
};

const invalid = (c: Context<AppEnv>) =>
  render(c, 404, (css, lang) => (
    <MessagePage
      lang={lang}
      css={css}
      title={PUBLIC_TEXT[lang].invalidTitle}
      body={PUBLIC_TEXT[lang].invalidBody}
    />
  ));

/** The consents the page asks for: checked ones granted, unchecked ones revoked (only what changed). */
async function savePreferences(
  tenant: Tenant,
  contact: ContactRow,
  fields: Record<string, string>,
  meta: { ip: string | null; ua: string | null },
) {
  const current = consentsView(contact);
  const statements = [];
  for (const type of CONSENT_TYPES as readonly ConsentType[]) {
    const wanted = fields[type] === "granted" ? "granted" : "revoked";
    if (current[type] === wanted || (current[type] === null && wanted === "revoked")) continue;
    const { statements: s } = await consentStatements(tenant, contact, {
      type,
      state: wanted,
      source: "preferences",
      ip: meta.ip,
      user_agent: meta.ua,
    });
    statements.push(...s);
  }
  if (fields.email_marketing === "granted" && contact.status === "unsubscribed") {
    // Asked for again from the address's own signed link: an opt-in that lifts the unsubscribe.
    statements.push(
      tenant.db
        .update(contacts)
        .set({ status: "subscribed", updatedAt: now() })
        .where(scoped(tenant, contacts, eq(contacts.id, contact.id))),
      tenant.db
        .delete(suppressions)
        .where(
          scoped(
            tenant,
            suppressions,
            eq(suppressions.emailHash, await emailHash(contact.email)),
            eq(suppressions.reason, "unsubscribed"),
          ),
        ),
    );
  }
  if (statements.length)
    await tenant.db.batch(statements as unknown as Parameters<typeof tenant.db.batch>[0]);
}

/**
 * GET /p/:token: the recipient's subscriptions and consents; POST /p/:token: save them, or with
 * unsubscribe_all=1 unsubscribe from everything (the same effect as the one-click unsubscribe).
 * Withdrawing email_marketing unsubscribes from marketing email too.
 */
export function registerPreferences(app: App) {
  app.get("/p/:token", async (c) => {
    const found = await contactOf(c);
    if (!found) return invalid(c);
    return render(c, 200, (css, lang) => (
      <PreferencesPage
        lang={lang}
        css={css}
        email={found.contact.email}
        consents={consentsView(found.contact)}
      />
    ));
  });
  app.post("/p/:token", async (c) => {
    const found = await contactOf(c);
    if (!found) return invalid(c);
    const fields = (await readFields(c)) ?? {};
    const { tenant, contact } = found;
    const meta = { ip: clientIp(c), ua: c.req.header("User-Agent")?.slice(0, 512) ?? null };
    if (fields.unsubscribe_all === "1" || fields.email_marketing !== "granted") {
      if (fields.unsubscribe_all === "1") {
        const revokeAll = Object.fromEntries(CONSENT_TYPES.map((t) => [t, "revoked"]));
        await savePreferences(tenant, contact, revokeAll, meta);
      } else await savePreferences(tenant, contact, fields, meta);
      await unsubscribeContact(c.env, tenant, contact, found.messageId);
      const t = PUBLIC_TEXT[langOf(c.req.header("Accept-Language"))];
      return render(c, 200, (css, lang) => (
        <MessagePage lang={lang} css={css} title={t.prefsTitle} body={t.unsubscribedAll} />
      ));
    }
    await savePreferences(tenant, contact, fields, meta);
    const fresh = await tenant.db
      .select()
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contact.id)))
      .get();
    return render(c, 200, (css, lang) => (
      <PreferencesPage
        lang={lang}
        css={css}
        email={contact.email}
        consents={consentsView(fresh ?? contact)}
        saved
      />
    ));
  });
}
