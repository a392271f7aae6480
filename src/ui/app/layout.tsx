import type { Child } from "hono/jsx";
import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../app-env";
import type { Page } from "./page";
import type { Lang } from "./i18n";
import { Document } from "../public/layout";

/**
 * The page context of the request being rendered (routes/app/session.ts sets it before a render):
 * components read it here instead of receiving it as a prop.
 */
export const usePage = (): Page => useRequestContext<AppEnv>().get("page");

const NAV = [
  ["/app", "dashboard"],
  ["/app/contacts", "contacts"],
  ["/app/templates", "templates"],
  ["/app/scenarios", "scenarios"],
  ["/app/segments", "segments"],
  ["/app/campaigns", "campaigns"],
  ["/app/reports", "reports"],
  ["/app/inbox", "inbox"],
  ["/app/rules", "rules"],
  ["/app/settings", "settings"],
] as const;

const current = (path: string, href: string) =>
  href === "/app" ? path === "/app" : path === href || path.startsWith(`${href}/`);

/** The hidden field every form of a session carries. */
export const Csrf = () => <input type="hidden" name="_csrf" value={usePage().csrf} />;

export function AppLayout(props: { title: string; children: Child }) {
  const p = usePage();
  return (
    <html lang={p.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${p.t.appName}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={p.css} />
        <script src={p.js} defer />
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/app">
            {p.t.appName}
          </a>
          <nav class="main" aria-label="Main">
            <ul>
              {NAV.map(([href, key]) => (
                <li>
                  <a href={href} aria-current={current(p.path, href) ? "page" : undefined}>
                    {p.t.nav[key]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="end">
            <form class="inline" method="post" action="/app/lang">
              <Csrf />
              <input type="hidden" name="back" value={p.path} />
              <button class="secondary small" name="lang" value={p.lang === "fr" ? "en" : "fr"} type="submit">
                {p.lang === "fr" ? "English" : "Français"}
              </button>
            </form>
            <form class="inline" method="post" action="/app/logout">
              <Csrf />
              <button class="secondary small" type="submit">
                {p.t.signOut}
              </button>
            </form>
          </div>
        </header>
        <main id="content">
          <h1>{props.title}</h1>
          <p id="live" class="muted" role="status" aria-live="polite" />
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The sign-in pages' frame: no navigation. */
export function BareLayout(props: { lang: Lang; title: string; css: string; children: Child }) {
  return (
    <Document title={props.title} lang={props.lang} css={props.css} head={<link rel="icon" href="data:," />}>
      <main class="login">
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </Document>
  );
}
