import { CONSENT_TYPES } from "../../services/segments/fields";
import { PublicLayout } from "./layout";
import { PUBLIC_TEXT, type PublicLang } from "./text";

interface Base {
  lang: PublicLang;
  css: string;
}

export function MessagePage(p: Base & { title: string; body: string }) {
  return (
    <PublicLayout title={p.title} lang={p.lang} css={p.css}>
      <h1>{p.title}</h1>
      <p>{p.body}</p>
    </PublicLayout>
  );
}

/** GET /c/:token: a button that posts; following the link alone changes nothing (link scanners). */
export function ConfirmPage(p: Base) {
  const t = PUBLIC_TEXT[p.lang];
  return (
    <PublicLayout title={t.confirmTitle} lang={p.lang} css={p.css}>
      <h1>{t.confirmTitle}</h1>
      <p>{t.confirmBody}</p>
      <form method="post">
        <button type="submit">{t.confirmButton}</button>
      </form>
    </PublicLayout>
  );
}

export function PreferencesPage(
  p: Base & { email: string; consents: Record<string, string | null>; saved?: boolean },
) {
  const t = PUBLIC_TEXT[p.lang];
  return (
    <PublicLayout title={t.prefsTitle} lang={p.lang} css={p.css}>
      <h1>{t.prefsTitle}</h1>
      <p class="muted">{p.email}</p>
      {p.saved ? <p role="status">{t.prefsSaved}</p> : null}
      <form method="post">
        <fieldset>
          <legend>{t.prefsIntro}</legend>
          {CONSENT_TYPES.map((type) => (
            <label>
              <input type="checkbox" name={type} value="granted" checked={p.consents[type] === "granted"} />
              {t.types[type]}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" name="action" value="save">
            {t.prefsSave}
          </button>
          <button type="submit" class="secondary" name="unsubscribe_all" value="1">
            {t.prefsAll}
          </button>
        </div>
      </form>
    </PublicLayout>
  );
}
