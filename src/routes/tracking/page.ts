/**
 * The unsubscribe pages. Static text only (nothing from the request or the contact is echoed), so
 * there is nothing to escape. The form posts the RFC 8058 body itself.
 */
const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #444;background:#222;color:#fff;cursor:pointer}</style>
</head><body>${body}</body></html>`;

export const confirmPage = () =>
  layout(
    "Unsubscribe",
    `<h1>Unsubscribe</h1><p>Do you want to stop receiving these emails?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );

export const donePage = () =>
  layout("Unsubscribed", "<h1>You are unsubscribed</h1><p>You will not receive these emails any more.</p>");

export const notFoundPage = () =>
  layout("Link not valid", "<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>");

/** A page of the unsubscribe flow: never cached, never indexed. */
export const unsubscribeHtml = (body: string, status: 200 | 404) =>
  new Response(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
    },
  });
