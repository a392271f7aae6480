import { X509Certificate } from "node:crypto";
import { now } from "../../../lib/clock";
import { permanent, type Result, retryable } from "../../../lib/result";

/**
 * Amazon SNS message signature verification (PROVIDERS.md): the string to sign, the signing
 * certificate fetched only from an SNS host and cached, RSASSA-PKCS1-v1_5 with SHA-1 (SignatureVersion
 * 1) or SHA-256 (SignatureVersion 2) through WebCrypto.
 */

/** The envelope fields that take part in verification. */
export interface SnsEnvelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string | null;
  SubscribeURL?: string;
  Token?: string;
}

/**
 * `sns.<region>.amazonaws.com`, or `sns.cn-<area>-<n>.amazonaws.com.cn` in the China partition,
 * where the region has the shape AWS gives every region (`eu-west-3`, `us-gov-west-1`). A looser
 * `sns.<anything>.amazonaws.com` accepts `sns.s3.amazonaws.com`, which is an S3 bucket named "sns"
 * that anyone can create and publish a certificate from: a known forgery.
 */
const SNS_HOST =
  /^sns\.(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}\.amazonaws\.com|cn-[a-z]+-\d{1,2}\.amazonaws\.com\.cn)$/;
const CERT_PATH = /^\/SimpleNotificationService-[0-9a-f]+\.pem$/;

/** An https URL on an SNS host, with no credentials or port: the only URLs we fetch for SNS. */
export function snsUrl(raw: string | undefined): URL | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port) return null;
  return SNS_HOST.test(url.hostname) ? url : null;
}

/** The signing certificate URL, validated: SNS host and `/SimpleNotificationService-<hex>.pem`. */
export function certificateUrl(raw: string): URL | null {
  const url = snsUrl(raw);
  return url && CERT_PATH.test(url.pathname) && !url.search && !url.hash ? url : null;
}

const NOTIFICATION_KEYS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const SUBSCRIPTION_KEYS = [
  "Message",
  "MessageId",
  "SubscribeURL",
  "Timestamp",
  "Token",
  "TopicArn",
  "Type",
] as const;

/** `Key\nValue\n` for each signed key present, in SNS's order (Subject only when present and not null). */
export function stringToSign(m: SnsEnvelope): string {
  const keys = m.Type === "Notification" ? NOTIFICATION_KEYS : SUBSCRIPTION_KEYS;
  let out = "";
  for (const key of keys) {
    const value = m[key];
    if (value === undefined || value === null) continue;
    out += `${key}\n${value}\n`;
  }
  return out;
}

interface CertEntry {
  spki: ArrayBuffer;
  notBefore: number;
  notAfter: number;
  keys: Map<string, Promise<CryptoKey>>;
}

/** Certificates by URL, per isolate. SNS rotates them rarely; a small bound keeps memory flat. */
const certCache = new Map<string, Promise<CertEntry>>();
const CERT_CACHE_MAX = 32;

/** Why verification failed: `forbidden` answers 403, `unavailable` 503 (SNS retries later). */
export type VerifyResult = Result;

class CertFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function parsePem(pem: string): CertEntry {
  const cert = new X509Certificate(pem);
  const spki = cert.publicKey.export({ type: "spki", format: "der" });
  return {
    spki: spki.buffer.slice(spki.byteOffset, spki.byteOffset + spki.byteLength) as ArrayBuffer,
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    keys: new Map(),
  };
}

async function fetchCertificate(url: URL): Promise<CertEntry> {
  let res: Response;
  try {
    // No redirects: a redirect could lead off the validated host.
    res = await fetch(url.toString(), { redirect: "manual" });
  } catch (e) {
    throw new CertFetchError(`certificate fetch failed: ${String(e)}`, true);
  }
  if (res.status >= 500) throw new CertFetchError(`certificate host answered ${res.status}`, true);
  if (res.status !== 200) throw new CertFetchError(`certificate host answered ${res.status}`, false);
  try {
    return parsePem(await res.text());
  } catch {
    throw new CertFetchError("certificate is not a PEM X.509 certificate", false);
  }
}

function cachedCertificate(url: URL): Promise<CertEntry> {
  const key = url.toString();
  let entry = certCache.get(key);
  if (!entry) {
    entry = fetchCertificate(url);
    // Failures are not cached: the next delivery tries again.
    entry.catch(() => certCache.delete(key));
    if (certCache.size >= CERT_CACHE_MAX) certCache.delete(certCache.keys().next().value as string);
    certCache.set(key, entry);
  }
  return entry;
}

/**
 * Put a certificate in the cache without fetching it: a PEM certificate, or a bare SPKI public key
 * with its validity. Tests sign SNS messages with their own key pair this way; an operator could
 * pin a certificate the same way. The URL must still be a valid SNS certificate URL.
 */
export function primeSigningCertificate(
  rawUrl: string,
  cert: string | { spki: ArrayBuffer; notBefore?: number; notAfter?: number },
): void {
  const url = certificateUrl(rawUrl);
  if (!url) throw new Error(`not an SNS certificate URL: ${rawUrl}`);
  const entry: CertEntry =
    typeof cert === "string"
      ? parsePem(cert)
      : {
          spki: cert.spki,
          notBefore: cert.notBefore ?? 0,
          notAfter: cert.notAfter ?? Number.MAX_SAFE_INTEGER,
          keys: new Map(),
        };
  certCache.set(url.toString(), Promise.resolve(entry));
}

/** Forget every cached certificate (tests). */
export function clearCertificateCache(): void {
  certCache.clear();
}

function publicKey(entry: CertEntry, hash: "SHA-1" | "SHA-256"): Promise<CryptoKey> {
  let key = entry.keys.get(hash);
  if (!key) {
    key = crypto.subtle.importKey("spki", entry.spki, { name: "RSASSA-PKCS1-v1_5", hash }, false, ["verify"]);
    entry.keys.set(hash, key);
  }
  return key;
}

function decodeBase64(s: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Verify an SNS envelope's signature against its (validated, cached) signing certificate. */
export async function verifySnsSignature(m: SnsEnvelope): Promise<VerifyResult> {
  const hash = m.SignatureVersion === "1" ? "SHA-1" : m.SignatureVersion === "2" ? "SHA-256" : null;
  if (!hash) return permanent(`unsupported SignatureVersion ${m.SignatureVersion}`);
  const url = certificateUrl(m.SigningCertURL);
  if (!url) return permanent("SigningCertURL is not an SNS certificate URL");
  const signature = decodeBase64(m.Signature);
  if (!signature) return permanent("Signature is not base64");

  let entry: CertEntry;
  try {
    entry = await cachedCertificate(url);
  } catch (e) {
    const reason = e instanceof Error ? e.message : "certificate unavailable";
    return e instanceof CertFetchError && e.retryable ? retryable(reason) : permanent(reason);
  }
  const at = now();
  if (!(at >= entry.notBefore && at <= entry.notAfter)) {
    return permanent("signing certificate is outside its validity period");
  }
  let key: CryptoKey;
  try {
    key = await publicKey(entry, hash);
  } catch {
    return permanent("signing certificate key is not an RSA key");
  }
  const data = new TextEncoder().encode(stringToSign(m));
  const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, data);
  return valid ? { ok: true } : permanent("signature does not match");
}
