import type { Child } from "hono/jsx";

/** The document of every page without the app's navigation: never indexed, the Worker's stylesheet. */
export function Document(props: {
  title: string;
  lang: "en" | "fr";
  css: string;
  head?: Child;
  children: Child;
}) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        {props.head}
        <link rel="stylesheet" href={props.css} />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** The public pages' frame: no script at all. */
export function PublicLayout(props: { title: string; lang: "en" | "fr"; css: string; children: Child }) {
  return (
    <Document title={props.title} lang={props.lang} css={props.css}>
      <main>{props.children}</main>
    </Document>
  );
}
