/**
 * The web UI's session layer: the cookie, the CSRF check on every POST, the page context. Pages
 * call the same services as the API, in the tenant scope of the session's organization.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../app-env";
import { tenantFor } from "../../db/route";
import { users } from "../../db/schema";
import { timingSafeEqual } from "../../lib/crypto";
import { scoped } from "../../lib/tenant";
import { SESSION_IDLE_MS, sessionFor } from "../../services/app/sessions";
import { assetPath } from "../../ui/assets";
import { langFrom, TEXT } from "../../ui/app/i18n";
import { eq } from "drizzle-orm";
import type { Page } from "../../ui/app/page";

export const SESSION_COOKIE = "em_session";
export type Ctx = Context<AppEnv>;

const secure = (c: Ctx) => new URL(c.req.url).protocol === "https:";

export function setSessionCookie(c: Ctx, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    path: "/",
    maxAge: SESSION_IDLE_MS / 1000,
  });
}

export const clearSessionCookie = (c: Ctx) =>
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secure(c) });

export const langOf = (c: Ctx) => langFrom(getCookie(c, "lang"), c.req.header("Accept-Language"));

/** The form fields of a POST (url-encoded or multipart); files stay File objects. */
export async function formOf(c: Ctx): Promise<Record<string, string | File | (string | File)[]>> {
  return (await c.req.parseBody({ all: true })) as Record<string, string | File | (string | File)[]>;
}

export const field = (f: Record<string, unknown>, name: string): string => {
  const v = f[name];
  return typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "";
};

/**
 * /app/* except the sign-in pages: a live session or a redirect to /app/login; on POST, the
 * session's CSRF token in `_csrf` or 403. Sets the tenant, the member and the session.
 */
export const uiSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const path = c.req.path;
  if (path === "/app/login" || path.startsWith("/app/login/")) return next();
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await sessionFor(c.get("db"), token) : null;
  if (!session) {
    if (token) clearSessionCookie(c);
    if (c.req.method === "GET") return c.redirect(`/app/login${token ? "?expired=1" : ""}`, 303);
    return c.text("Your session ended: sign in again at /app/login", 401);
  }
  if (c.req.method === "POST") {
    const sent = field(await formOf(c), "_csrf");
    if (!sent || !timingSafeEqual(sent, session.csrfToken))
      return c.text("The form expired (CSRF token missing or wrong): reload the page and try again.", 403);
  }
  c.set("uiSession", session);
  c.set("tenant", await tenantFor(c.env, session.organizationId));
  c.set("userId", session.userId);
  c.header("Cache-Control", "no-store");
  await next();
};

const pages = new WeakMap<Ctx, Promise<Page>>();

/**
 * The page context: words, the member's timezone, the CSRF token, the hashed asset paths. Read once
 * per request (a handler, the page it renders and the 404 layer all ask for it).
 */
export function pageOf(c: Ctx): Promise<Page> {
  let p = pages.get(c);
  if (!p) {
    p = readPage(c).then((page) => {
      c.set("page", page);
      return page;
    });
    pages.set(c, p);
  }
  return p;
}

async function readPage(c: Ctx): Promise<Page> {
  const lang = langOf(c);
  const session = c.get("uiSession");
  const tenant = c.get("tenant");
  const member = session.userId
    ? await tenant.db
        .select({ timezone: users.timezone })
        .from(users)
        .where(scoped(tenant, users, eq(users.id, session.userId)))
        .get()
    : undefined;
  return {
    t: TEXT[lang],
    lang,
    timeZone: member?.timezone ?? null,
    csrf: session.csrfToken,
    css: await assetPath("app"),
    js: await assetPath("app-script"),
    path: c.req.path,
  };
}

/**
 * Render a page in the app's layout (ui/app/renderer.tsx), escaped by JSX, never cached: the page
 * context goes into the request first, where components read it (usePage).
 */
export async function render(
  c: Ctx,
  title: string,
  node: unknown,
  status: 200 | 400 | 404 | 409 | 422 = 200,
) {
  await pageOf(c);
  c.status(status);
  return c.render(node as string, { title });
}
