import { tenantFor } from "../../db/route";
import { eq } from "drizzle-orm";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { contacts } from "../../db/schema";
import { scoped } from "../../lib/tenant";
import { unsubscribeContact } from "../../services/unsubscribe";
import { verifyUnsubscribe } from "../../services/tracking-tokens";
import { confirmPage, donePage, notFoundPage } from "./page";

const html = (body: string, status: 200 | 404) =>
  new Response(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
    },
  });

/**
 * GET /u/:token shows a confirm page and changes nothing (link scanners and prefetchers follow GETs).
 * POST /u/:token unsubscribes: the RFC 8058 one-click body (`List-Unsubscribe=One-Click`, urlencoded
 * or multipart, no cookies, no auth) or the page's form. It answers 200, never a redirect, and is
 * idempotent. The contact's status, the suppression and the stop of its active sequences are written
 * here at once; the stored event then tells the SequenceDOs (timers) and the rules engine.
 */
export function registerUnsubscribe(app: App) {
  app.get("/u/:token", async (c) => {
    const token = await verifyUnsubscribe(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"));
    return token ? html(confirmPage(), 200) : html(notFoundPage(), 404);
  });

  app.post("/u/:token", async (c) => {
    const token = await verifyUnsubscribe(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"));
    if (!token) return html(notFoundPage(), 404);
    // The body is not needed: a valid token on a POST is the request. It is drained, never parsed,
    // so an odd body cannot turn into an error.
    await c.req.raw.body?.cancel();
    const tenant = await tenantFor(c.env, token.o);
    const contact = await tenant.db
      .select({ id: contacts.id, email: contacts.email })
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, token.c)))
      .get();
    // An erased contact is already suppressed (as a hash): nothing is left to change.
    if (!contact) return html(donePage(), 200);
    await unsubscribeContact(c.env, tenant, contact, token.m ?? null);
    return html(donePage(), 200);
  });
}
