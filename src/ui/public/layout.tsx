import type { Child } from "hono/jsx";

/** The public pages' frame: no script at all, the Worker's own stylesheet, never indexed. */
export function PublicLayout(props: { title: string; lang: "en" | "fr"; css: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={props.css} />
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
