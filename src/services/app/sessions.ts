/**
 * Web UI sign-in: sessions (a random cookie token, stored hashed in the directory database) and
 * magic links (single use, 15 minutes). Every session names its organization, so the pages work
 * in the same tenant scope as the API.
 */
import { and, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { databaseNames, d1Named, tenantFor } from "../../db/route";
import { createDb, type Db } from "../../db/client";
import { apiKeys, loginLinks, uiSessions, users } from "../../db/schema";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { escapeHtml, liquidLiteral } from "../../lib/html";
import { randomToken } from "../../lib/ids";
import type { Tenant } from "../../lib/tenant";
import { createSendOperation } from "../ledger/create";

export const SESSION_IDLE_MS = 12 * 3600_000;
/** last_seen_at is written at most this often (a request is a read, not a write). */
const TOUCH_EVERY_MS = 5 * 60_000;
export const LINK_TTL_MS = 15 * 60_000;

export interface UiSession {
  organizationId: string;
  userId: string | null;
  apiKeyId: string | null;
  csrfToken: string;
  tokenHash: string;
}

/** A new session; answers the cookie's token (shown once, never stored). */
export async function createSession(
  directory: Db,
  s: { organizationId: string; userId: string | null; apiKeyId: string | null },
): Promise<string> {
  const token = randomToken(32);
  const at = now();
  await directory.insert(uiSessions).values({
    tokenHash: await sha256Hex(token),
    organizationId: s.organizationId,
    userId: s.userId,
    apiKeyId: s.apiKeyId,
    csrfToken: randomToken(24),
    createdAt: at,
    lastSeenAt: at,
  });
  return token;
}

/**
 * The live session a cookie token names, or null: unknown, idle for 12 hours, or signed in with
 * an API key revoked since. Refreshes last_seen_at every five minutes of use.
 */
export async function sessionFor(directory: Db, token: string): Promise<UiSession | null> {
  const tokenHash = await sha256Hex(token);
  const at = now();
  const row = await directory
    .select({
      organizationId: uiSessions.organizationId,
      userId: uiSessions.userId,
      apiKeyId: uiSessions.apiKeyId,
      csrfToken: uiSessions.csrfToken,
      lastSeenAt: uiSessions.lastSeenAt,
      keyRevokedAt: apiKeys.revokedAt,
    })
    .from(uiSessions)
    .leftJoin(apiKeys, eq(apiKeys.id, uiSessions.apiKeyId))
    .where(and(eq(uiSessions.tokenHash, tokenHash), gt(uiSessions.lastSeenAt, at - SESSION_IDLE_MS)))
    .get();
  if (!row || (row.apiKeyId && row.keyRevokedAt !== null)) return null;
  if (at - row.lastSeenAt > TOUCH_EVERY_MS)
    await directory.update(uiSessions).set({ lastSeenAt: at }).where(eq(uiSessions.tokenHash, tokenHash));
  return { ...row, tokenHash };
}

export async function endSession(directory: Db, tokenHash: string): Promise<void> {
  await directory.delete(uiSessions).where(eq(uiSessions.tokenHash, tokenHash));
}

/** The organization and member of an API key (form field api_key), or null. */
export async function apiKeyOwner(directory: Db, key: string) {
  const row = await directory
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId, userId: apiKeys.userId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  return row ?? null;
}

/** Team members with this address, in every database (an address may be a member of several organizations). */
async function membersByEmail(env: Env, email: string) {
  const found: { id: string; organizationId: string; name: string; email: string }[] = [];
  for (const name of databaseNames(env)) {
    const rows = await createDb(d1Named(env, name))
      .select({ id: users.id, organizationId: users.organizationId, name: users.name, email: users.email })
      .from(users)
      // Addresses are stored as typed: compare without case.
      .where(sql`lower(${users.email}) = ${email}`)
      .limit(10)
      .all();
    found.push(...rows);
  }
  return found;
}

/**
 * Mail a sign-in link to every member with this address (at most one per organization). Answers
 * nothing about whether the address is known: the page says the same either way.
 */
export async function sendLoginLinks(env: Env, email: string, baseUrl: string): Promise<number> {
  const members = await membersByEmail(env, email.trim().toLowerCase());
  const directory = createDb(env.DB);
  const at = now();
  for (const m of members) {
    const token = randomToken(32);
    const tokenHash = await sha256Hex(token);
    await directory.insert(loginLinks).values({
      tokenHash,
      organizationId: m.organizationId,
      userId: m.id,
      createdAt: at,
      expiresAt: at + LINK_TTL_MS,
    });
    const url = `${baseUrl}/app/login/link?token=${token}`;
    const tenant: Tenant = await tenantFor(env, m.organizationId);
    await createSendOperation(tenant, env.SEND_QUEUE, {
      keyParts: [m.organizationId, "login", tokenHash],
      contactId: null,
      payload: loginEmail(m.email, m.name, url),
    });
    if (/^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(baseUrl))
      console.log(`[sign-in] link for ${m.email} (valid 15 minutes): ${url}`);
  }
  return members.length;
}

/** The sign-in email, literal content (a zero-width space keeps Liquid away from the token). */
function loginEmail(to: string, name: string, url: string) {
  const safeUrl = liquidLiteral(url);
  const esc = escapeHtml;
  return {
    to_email: to,
    subject: "Your sign-in link / Votre lien de connexion",
    html: `<!doctype html><html><body><p>${esc(name)},</p><p><a href="${esc(safeUrl)}">Sign in / Se connecter</a></p><p>This link works once, for 15 minutes. / Ce lien fonctionne une fois, pendant 15 minutes.</p></body></html>`,
    text: `${name},\n\nSign in / Se connecter: ${safeUrl}\n\nThis link works once, for 15 minutes. / Ce lien fonctionne une fois, pendant 15 minutes.`,
    transactional: true,
    source: { login: "magic_link" },
  };
}

/** Use a link once: answers its organization and member, or null (unknown, used, expired). */
export async function consumeLoginLink(directory: Db, token: string) {
  const at = now();
  const [row] = await directory
    .update(loginLinks)
    .set({ usedAt: at })
    .where(
      and(
        eq(loginLinks.tokenHash, await sha256Hex(token)),
        isNull(loginLinks.usedAt),
        gt(loginLinks.expiresAt, at),
      ),
    )
    .returning({ organizationId: loginLinks.organizationId, userId: loginLinks.userId });
  return row ?? null;
}

/** Rows no request can use any more: sessions idle past 12 hours, links used or expired. */
export async function endIdleSessions(directory: Db, at: number) {
  const sessions = await directory
    .delete(uiSessions)
    .where(lt(uiSessions.lastSeenAt, at - SESSION_IDLE_MS))
    .returning({ t: uiSessions.tokenHash });
  const links = await directory
    .delete(loginLinks)
    .where(or(lt(loginLinks.expiresAt, at), isNotNull(loginLinks.usedAt)))
    .returning({ t: loginLinks.tokenHash });
  return { sessions: sessions.length, links: links.length };
}
