import { signToken, verifyToken } from "../../lib/crypto";

/**
 * Signed tokens in tracking and unsubscribe URLs. HMAC-SHA256 under ENCRYPTION_KEY with a purpose
 * per kind, so an open token is never accepted as a click or unsubscribe token. The click token
 * carries its destination: no row is written per link, and /t/c redirects only to URLs it signed.
 */
export interface OpenToken {
  o: string; // organization id
  m: string; // messages.id
}
export interface ClickToken extends OpenToken {
  u: string; // destination URL
}
export interface UnsubscribeToken {
  o: string;
  c: string; // contact id
  m?: string; // message id, when the link came in a message
}

export const signOpen = (key: string, t: OpenToken) => signToken(key, "track-open", t);
export const signClick = (key: string, t: ClickToken) => signToken(key, "track-click", t);
export const signUnsubscribe = (key: string, t: UnsubscribeToken) => signToken(key, "unsubscribe", t);

const isStr = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length < 4096;

export async function verifyOpen(key: string, token: string): Promise<OpenToken | null> {
  const t = await verifyToken<OpenToken>(key, "track-open", token);
  return t && isStr(t.o) && isStr(t.m) ? t : null;
}

export async function verifyClick(key: string, token: string): Promise<ClickToken | null> {
  const t = await verifyToken<ClickToken>(key, "track-click", token);
  return t && isStr(t.o) && isStr(t.m) && isStr(t.u) && /^https?:\/\//i.test(t.u) ? t : null;
}

export async function verifyUnsubscribe(key: string, token: string): Promise<UnsubscribeToken | null> {
  const t = await verifyToken<UnsubscribeToken>(key, "unsubscribe", token);
  return t && isStr(t.o) && isStr(t.c) ? t : null;
}

/** A double opt-in confirmation: the contact, the form, and when the link stops working (epoch ms). */
export interface ConfirmToken {
  o: string;
  c: string;
  f: string;
  exp: number;
}
/** The preference centre: like the unsubscribe token, under its own purpose. */
export type PreferencesToken = UnsubscribeToken;

export const signConfirm = (key: string, t: ConfirmToken) => signToken(key, "confirm", t);
export const signPreferences = (key: string, t: PreferencesToken) => signToken(key, "preferences", t);

/** Null when forged, altered or past its expiry. */
export async function verifyConfirm(key: string, token: string, at: number): Promise<ConfirmToken | null> {
  const t = await verifyToken<ConfirmToken>(key, "confirm", token);
  return t && isStr(t.o) && isStr(t.c) && isStr(t.f) && typeof t.exp === "number" && t.exp > at ? t : null;
}

export async function verifyPreferences(key: string, token: string): Promise<PreferencesToken | null> {
  const t = await verifyToken<PreferencesToken>(key, "preferences", token);
  return t && isStr(t.o) && isStr(t.c) ? t : null;
}
