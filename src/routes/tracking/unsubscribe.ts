import type { App } from "../../app-env";
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { findContact } from "../../services/contacts/store";
import { verifyUnsubscribe } from "../../services/tracking/tokens";
import { unsubscribeContact } from "../../services/tracking/unsubscribe";
import { donePage, notFoundPage, unsubscribeHtml } from "./page";

/**
 * POST /u/:token unsubscribes: the RFC 8058 one-click body (`List-Unsubscribe=One-Click`, urlencoded
 * or multipart, no cookies, no auth) or the page's form. It answers 200, never a redirect, and is
 * idempotent. The contact's status, the suppression and the stop of its active sequences are written
 * here at once; the stored event then tells the SequenceDOs (timers) and the rules engine.
 */
export const registerUnsubscribe = (app: App) =>
  app.post("/u/:token", async (c) => {
    const token = await verifyUnsubscribe(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"));
    if (!token) return unsubscribeHtml(notFoundPage(), 404);
    // The body is not needed: a valid token on a POST is the request. It is drained, never parsed,
    // so an odd body cannot turn into an error.
    await c.req.raw.body?.cancel();
    const tenant = await tenantFor(c.env, token.o);
    const contact = await findContact(tenant, token.c);
    // An erased contact is already suppressed (as a hash): nothing is left to change.
    if (!contact) return unsubscribeHtml(donePage(), 200);
    await unsubscribeContact(c.env, tenant, contact, token.m ?? null);
    return unsubscribeHtml(donePage(), 200);
  });
