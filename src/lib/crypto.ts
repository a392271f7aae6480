import { base64url, fromBase64url, toHex } from "./ids";

const enc = new TextEncoder();
const dec = new TextDecoder();

export async function sha256Hex(input: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(input))));
}

/** Constant-time string comparison (length leaks, content does not). */
export function timingSafeEqual(a: string, b: string): boolean {
  const ab = enc.encode(a);
  const bb = enc.encode(b);
  if (ab.length !== bb.length) {
    // Compare against itself so the time spent does not depend on where the strings differ.
    crypto.subtle.timingSafeEqual(ab, ab);
    return false;
  }
  return crypto.subtle.timingSafeEqual(ab, bb);
}

function keyBytes(secret: string): Uint8Array {
  try {
    const raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
    if (raw.length >= 32) return raw.slice(0, 32);
  } catch {
    // not base64: fall through
  }
  return enc.encode(secret.padEnd(32, "\0")).slice(0, 32);
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** HMAC-SHA256 key derived from ENCRYPTION_KEY with a purpose label, cached per isolate. */
export function hmacKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}:${secret}`;
  let key = hmacKeys.get(id);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey(
        "raw",
        keyBytes(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const derived = await crypto.subtle.sign("HMAC", base, enc.encode(purpose));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
        "verify",
      ]);
    })();
    hmacKeys.set(id, key);
  }
  return key;
}

export async function hmacSign(secret: string, purpose: string, data: string): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", await hmacKey(secret, purpose), enc.encode(data));
  return base64url(new Uint8Array(sig));
}

export async function hmacVerify(
  secret: string,
  purpose: string,
  data: string,
  signature: string,
): Promise<boolean> {
  let sig: Uint8Array;
  try {
    sig = fromBase64url(signature);
  } catch {
    return false;
  }
  return crypto.subtle.verify("HMAC", await hmacKey(secret, purpose), sig, enc.encode(data));
}

/**
 * Signed token: base64url(JSON payload) + "." + HMAC. Used for tracking, unsubscribe and the like;
 * `purpose` separates the key spaces so a click token is never accepted as an unsubscribe token.
 */
export async function signToken(secret: string, purpose: string, payload: unknown): Promise<string> {
  const body = base64url(enc.encode(JSON.stringify(payload)));
  return `${body}.${await hmacSign(secret, purpose, body)}`;
}

export async function verifyToken<T = unknown>(
  secret: string,
  purpose: string,
  token: string,
): Promise<T | null> {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot === token.length - 1) return null;
  const body = token.slice(0, dot);
  if (!(await hmacVerify(secret, purpose, body, token.slice(dot + 1)))) return null;
  try {
    return JSON.parse(dec.decode(fromBase64url(body))) as T;
  } catch {
    return null;
  }
}

const aesKeys = new Map<string, Promise<CryptoKey>>();
function aesKey(secret: string): Promise<CryptoKey> {
  let key = aesKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", keyBytes(secret), "AES-GCM", false, ["encrypt", "decrypt"]);
    aesKeys.set(secret, key);
  }
  return key;
}

/** AES-256-GCM with a random 96-bit IV; output is base64url(iv).base64url(ciphertext). */
export async function encryptSecret(secret: string, plaintext: string): Promise<string> {
  const iv = new Uint8Array(12);
  crypto.getRandomValues(iv);
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await aesKey(secret),
    enc.encode(plaintext),
  );
  return `${base64url(iv)}.${base64url(new Uint8Array(ct))}`;
}

export async function decryptSecret(secret: string, sealed: string): Promise<string> {
  const [iv, ct] = sealed.split(".");
  if (!iv || !ct) throw new Error("malformed ciphertext");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64url(iv) },
    await aesKey(secret),
    fromBase64url(ct),
  );
  return dec.decode(pt);
}
