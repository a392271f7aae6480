import { env, exports } from "cloudflare:workers";

export const BASE = "https://mail.example.test";
export const ADMIN_TOKEN = env.ADMIN_TOKEN;

export interface CallOptions {
  method?: string;
  key?: string | null;
  body?: unknown;
  /** Raw body; sent as is with `contentType`. */
  raw?: BodyInit;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** "manual": answer a redirect as it is (what a browser's page sees), instead of following it. */
  redirect?: "follow" | "manual";
}

/** Call the Worker's fetch handler the way an HTTP client would. */
export async function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set("Authorization", `Bearer ${opts.key}`);
  let body: BodyInit | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  const contentType =
    opts.contentType === undefined ? (body !== undefined ? "application/json" : null) : opts.contentType;
  if (contentType) headers.set("Content-Type", contentType);
  const method = opts.method ?? (body !== undefined ? "POST" : "GET");
  return exports.default.fetch(
    new Request(`${BASE}${path}`, { method, headers, body, redirect: opts.redirect }),
  );
}

/** Call and parse JSON; fails the test with the body when the status is not the expected one. */
export async function json<T = any>(path: string, opts: CallOptions & { expect?: number } = {}): Promise<T> {
  const res = await call(path, opts);
  const text = await res.text();
  if (opts.expect !== undefined && res.status !== opts.expect) {
    throw new Error(`${opts.method ?? "GET"} ${path}: expected ${opts.expect}, got ${res.status}: ${text}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}

export interface TestOrg {
  id: string;
  key: string;
}

let orgCounter = 0;
/** A fresh organization with its first API key. */
export async function createOrg(name = `Org ${++orgCounter}`): Promise<TestOrg> {
  const res = await json<{ organization: { id: string }; api_key: string }>("/api/v1/admin/organizations", {
    key: ADMIN_TOKEN,
    body: { name },
    expect: 201,
  });
  return { id: res.organization.id, key: res.api_key };
}
