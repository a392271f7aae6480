import { getCookie, setCookie } from "hono/cookie";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { createOrganization } from "../../services/organizations/store";
import { OrganizationCreate } from "../admin/create-organization";
import { timingSafeEqual } from "../../lib/crypto";
import { randomToken } from "../../lib/ids";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import {
  apiKeyOwner,
  consumeLoginLink,
  createSession,
  endSession,
  sendLoginLinks,
} from "../../services/app/sessions";
import { assetPath } from "../../ui/assets";
import { Notice } from "../../ui/app/components";
import { TEXT } from "../../ui/app/i18n";
import { BareLayout } from "../../ui/app/layout";
import { clearSessionCookie, type Ctx, field, formOf, langOf, setSessionCookie } from "./session";

/** Before there is a session, forms carry a double-submit token: a cookie and the same hidden field. */
const LOGIN_CSRF = "em_login_csrf";

function loginCsrf(c: Ctx): string {
  const existing = getCookie(c, LOGIN_CSRF);
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const token = randomToken(24);
  setCookie(c, LOGIN_CSRF, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: new URL(c.req.url).protocol === "https:",
    path: "/app/login",
  });
  return token;
}

async function loginCsrfOk(c: Ctx, form: Record<string, unknown>) {
  const cookie = getCookie(c, LOGIN_CSRF);
  const sent = field(form, "_csrf");
  return !!cookie && !!sent && timingSafeEqual(cookie, sent);
}

type Message = { kind: "ok" | "error"; text: string } | null;

async function loginPage(c: Ctx, message: Message, status: 200 | 400 | 401 | 403 | 429 = 200) {
  const lang = langOf(c);
  const t = TEXT[lang].login;
  const csrf = loginCsrf(c);
  c.header("Cache-Control", "no-store");
  return c.html(
    (
      <BareLayout lang={lang} title={t.title} css={await assetPath("app")}>
        {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
        <form method="post" action="/app/login/email">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="email">{t.emailLabel}</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            required
            aria-describedby="email-help"
          />
          <p id="email-help" class="muted">
            {t.emailHelp}
          </p>
          <button type="submit">{t.sendLink}</button>
        </form>
        <p class="muted">{t.or}</p>
        <form method="post" action="/app/login/key">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="api_key">{t.keyLabel}</label>
          <input id="api_key" name="api_key" type="password" autocomplete="off" required />
          <p>
            <button type="submit" class="secondary">
              {t.keyButton}
            </button>
          </p>
        </form>
        <details>
          <summary>{t.setupTitle}</summary>
          <form method="post" action="/app/login/setup">
            <input type="hidden" name="_csrf" value={csrf} />
            <p class="muted">{t.setupHelp}</p>
            <label for="org_name">{t.setupName}</label>
            <input id="org_name" name="name" required maxlength={200} />
            <label for="admin_token">{t.setupToken}</label>
            <input id="admin_token" name="admin_token" type="password" autocomplete="off" required />
            <p>
              <button type="submit" class="secondary">
                {t.setupButton}
              </button>
            </p>
          </form>
        </details>
      </BareLayout>
    ) as unknown as string,
    status,
  );
}

/** Sign-in: magic link by email for team members, or an API key for developers; sign-out; language. */
export function registerLogin(app: App) {
  app.get("/", (c) => c.redirect("/app", 302));
  app.get("/app/login", (c) =>
    loginPage(c, c.req.query("expired") ? { kind: "error", text: TEXT[langOf(c)].login.expired } : null),
  );

  app.post("/app/login/key", async (c) => {
    const t = TEXT[langOf(c)].login;
    const form = await formOf(c);
    if (!(await loginCsrfOk(c, form))) return loginPage(c, { kind: "error", text: t.csrf }, 403);
    const owner = await apiKeyOwner(c.get("db"), field(form, "api_key").trim());
    if (!owner) {
      await countFailure(c);
      return loginPage(c, { kind: "error", text: t.badKey }, 401);
    }
    const token = await createSession(c.get("db"), {
      organizationId: owner.organizationId,
      userId: owner.userId,
      apiKeyId: owner.id,
    });
    setSessionCookie(c, token);
    return c.redirect("/app", 303);
  });

  // First run: the operator (ADMIN_TOKEN) creates an organization and is signed in to it.
  app.post("/app/login/setup", async (c) => {
    const lang = langOf(c);
    const t = TEXT[lang].login;
    const form = await formOf(c);
    if (!(await loginCsrfOk(c, form))) return loginPage(c, { kind: "error", text: t.csrf }, 403);
    const token = field(form, "admin_token");
    if (!token || !timingSafeEqual(token, configOf(c.env).ADMIN_TOKEN)) {
      await countFailure(c);
      return loginPage(c, { kind: "error", text: t.setupBadToken }, 401);
    }
    const parsed = OrganizationCreate.safeParse({ name: field(form, "name") });
    if (!parsed.success)
      return loginPage(c, { kind: "error", text: parsed.error.issues[0]?.message ?? "name" }, 400);
    const created = await createOrganization(c.env, parsed.data.name);
    const owner = await apiKeyOwner(c.get("db"), created.api_key);
    setSessionCookie(
      c,
      await createSession(c.get("db"), {
        organizationId: created.organization.id,
        userId: null,
        apiKeyId: owner?.id ?? null,
      }),
    );
    c.header("Cache-Control", "no-store");
    return c.html(
      (
        <BareLayout lang={lang} title={created.organization.name} css={await assetPath("app")}>
          <Notice kind="ok">{t.setupDone}</Notice>
          <p>
            <code id="new-key">{created.api_key}</code>
          </p>
          <p>
            <a class="button" href="/app">
              {TEXT[lang].nav.dashboard}
            </a>
          </p>
        </BareLayout>
      ) as unknown as string,
      201,
    );
  });

  app.post("/app/login/email", async (c) => {
    const t = TEXT[langOf(c)].login;
    const form = await formOf(c);
    if (!(await loginCsrfOk(c, form))) return loginPage(c, { kind: "error", text: t.csrf }, 403);
    const email = field(form, "email").trim().toLowerCase();
    // Per address and per client: a mailbox cannot be flooded, an attacker cannot enumerate fast.
    await limit(c.env.PUBLIC_RATE_LIMIT, `login:${email}`, "sign-in links for this address");
    await limit(c.env.PUBLIC_RATE_LIMIT, clientIp(c) ? `login-ip:${clientIp(c)}` : null, "sign-in links");
    if (/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(email))
      await sendLoginLinks(c.env, email, configOf(c.env).PUBLIC_BASE_URL);
    return loginPage(c, { kind: "ok", text: t.sent });
  });

  // GET only shows a button (mail scanners follow links); the POST uses the link.
  app.get("/app/login/link", async (c) => {
    const lang = langOf(c);
    const t = TEXT[lang].login;
    const token = c.req.query("token") ?? "";
    c.header("Cache-Control", "no-store");
    return c.html(
      (
        <BareLayout lang={lang} title={t.linkTitle} css={await assetPath("app")}>
          <form method="post" action="/app/login/link">
            <input type="hidden" name="_csrf" value={loginCsrf(c)} />
            <input type="hidden" name="token" value={token} />
            <button type="submit">{t.linkButton}</button>
          </form>
        </BareLayout>
      ) as unknown as string,
    );
  });

  app.post("/app/login/link", async (c) => {
    const t = TEXT[langOf(c)].login;
    const form = await formOf(c);
    if (!(await loginCsrfOk(c, form))) return loginPage(c, { kind: "error", text: t.csrf }, 403);
    const token = field(form, "token");
    const link = /^[A-Za-z0-9_-]{20,64}$/.test(token) ? await consumeLoginLink(c.get("db"), token) : null;
    if (!link) {
      await countFailure(c);
      return loginPage(c, { kind: "error", text: t.linkInvalid }, 400);
    }
    setSessionCookie(
      c,
      await createSession(c.get("db"), {
        organizationId: link.organizationId,
        userId: link.userId,
        apiKeyId: null,
      }),
    );
    return c.redirect("/app", 303);
  });

  app.post("/app/logout", async (c) => {
    await endSession(c.get("db"), c.get("uiSession").tokenHash);
    clearSessionCookie(c);
    return c.redirect("/app/login", 303);
  });

  app.post("/app/lang", async (c) => {
    const form = await formOf(c);
    const lang = field(form, "lang") === "fr" ? "fr" : "en";
    setCookie(c, "lang", lang, { path: "/", sameSite: "Lax", maxAge: 365 * 86400 });
    const back = field(form, "back");
    // Only a path of this app: never an open redirect.
    return c.redirect(/^\/app(\/[A-Za-z0-9_/-]*)?$/.test(back) ? back : "/app", 303);
  });
}
