import type { App } from "../../app-env";
import { consentsView } from "../../services/consent/store";
import { PreferencesPage } from "../../ui/public/pages";
import { invalidLinkPage, publicPage } from "../../ui/public/respond";
import { preferencesContact } from "./preferences-contact";

/** GET /p/:token: the recipient's subscriptions and consents. */
export const registerPreferencesPage = (app: App) =>
  app.get("/p/:token", async (c) => {
    const found = await preferencesContact(c);
    if (!found) return invalidLinkPage(c);
    return publicPage(c, 200, (css, lang) => (
      <PreferencesPage
        lang={lang}
        css={css}
        email={found.contact.email}
        consents={consentsView(found.contact)}
      />
    ));
  });
