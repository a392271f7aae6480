import type { Child } from "hono/jsx";
import type { Lang, Text } from "./i18n";

/** What every page is rendered with: the words, the member's timezone, the CSRF token, the assets. */
export interface Page {
  t: Text;
  lang: Lang;
  timeZone: string | null;
  csrf: string;
  css: string;
  js: string;
  /** The current path, for aria-current in the navigation. */
  path: string;
}

const NAV = [
  ["/app", "dashboard"],
  ["/app/contacts", "contacts"],
  ["/app/templates", "templates"],
  ["/app/scenarios", "scenarios"],
  ["/app/segments", "segments"],
  ["/app/campaigns", "campaigns"],
  ["/app/inbox", "inbox"],
  ["/app/rules", "rules"],
  ["/app/settings", "settings"],
] as const;

const current = (path: string, href: string) =>
  href === "/app" ? path === "/app" : path === href || path.startsWith(`${href}/`);

/** The hidden field every form of a session carries. */
export const Csrf = (props: { p: Page }) => <input type="hidden" name="_csrf" value={props.p.csrf} />;

export function AppLayout(props: { p: Page; title: string; children: Child }) {
  const { p } = props;
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
              <Csrf p={p} />
              <input type="hidden" name="back" value={p.path} />
              <button class="secondary small" name="lang" value={p.lang === "fr" ? "en" : "fr"} type="submit">
                {p.lang === "fr" ? "English" : "Français"}
              </button>
            </form>
            <form class="inline" method="post" action="/app/logout">
              <Csrf p={p} />
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
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={props.css} />
      </head>
      <body>
        <main class="login">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}
