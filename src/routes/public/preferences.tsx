import type { App } from "../../app-env";
import { clientIp } from "../../middleware/rate-limit";
import { savePreferences } from "../../services/consent/preferences";
import { consentsView } from "../../services/consent/store";
import { findContact } from "../../services/contacts/store";
import { CONSENT_TYPES } from "../../services/segments/fields";
import { unsubscribeContact } from "../../services/tracking/unsubscribe";
import { MessagePage, PreferencesPage } from "../../ui/public/pages";
import { invalidLinkPage, publicPage } from "../../ui/public/respond";
import { langOf, PUBLIC_TEXT } from "../../ui/public/text";
import { preferencesContact } from "./preferences-contact";
import { readFields } from "./read-body";

/**
 * POST /p/:token: save the recipient's consents, or with unsubscribe_all=1 unsubscribe from
 * everything (the same effect as the one-click unsubscribe). Withdrawing email_marketing
 * unsubscribes from marketing email too.
 */
export const registerSavePreferences = (app: App) =>
  app.post("/p/:token", async (c) => {
    const found = await preferencesContact(c);
    if (!found) return invalidLinkPage(c);
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
      return publicPage(c, 200, (css, lang) => (
        <MessagePage lang={lang} css={css} title={t.prefsTitle} body={t.unsubscribedAll} />
      ));
    }
    await savePreferences(tenant, contact, fields, meta);
    const fresh = await findContact(tenant, contact.id);
    return publicPage(c, 200, (css, lang) => (
      <PreferencesPage
        lang={lang}
        css={css}
        email={contact.email}
        consents={consentsView(fresh ?? contact)}
        saved
      />
    ));
  });
