import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import { findContact } from "../../services/contacts/store";
import { verifyPreferences } from "../../services/tracking/tokens";

/** The contact a /p/:token link names (rate-limited per address; a bad token counts as a failure). */
export async function preferencesContact(c: Context<AppEnv>) {
  await limit(c.env.PUBLIC_RATE_LIMIT, clientIp(c) && `prefs:${clientIp(c)}`, "requests from this address");
  const token = await verifyPreferences(configOf(c.env).ENCRYPTION_KEY, c.req.param("token") as string);
  if (!token) {
    await countFailure(c);
    return null;
  }
  const tenant = await tenantFor(c.env, token.o);
  const contact = await findContact(tenant, token.c);
  return contact ? { tenant, contact, messageId: token.m ?? null } : null;
}
