import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const HOOK = "https://hooks.example.com/reminders";

/** MSW for outbound webhooks in a test file; unhandled requests fail the test. */
export function useWebhookNetwork() {
  const network = setupServer();
  beforeAll(() => network.listen({ onUnhandledRequest: "error" }));
  afterEach(() => network.resetHandlers());
  afterAll(() => network.close());
  return network;
}

export interface Captured {
  headers: Headers;
  body: string;
}

/** Record every POST to `url` and answer with `status`. */
export function receiver(network: ReturnType<typeof setupServer>, url: string, status = 204): Captured[] {
  const seen: Captured[] = [];
  network.use(
    http.post(url, async ({ request }) => {
      seen.push({ headers: new Headers(request.headers), body: await request.text() });
      return new HttpResponse(null, { status });
    }),
  );
  return seen;
}

/**
 * An independent Standard Webhooks verifier (the spec's algorithm, written out here rather than
 * reusing the module under test): HMAC-SHA256 over "id.timestamp.body" with the base64 key after whsec_.
 */
export async function specSignature(secret: string, id: string, ts: string, body: string): Promise<string> {
  const key = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`${id}.${ts}.${body}`)),
  );
  return btoa(String.fromCharCode(...mac));
}
