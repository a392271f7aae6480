import { type RequestHandler, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export { http, HttpResponse };

/** One MSW server per test file (each file runs in its own isolate). */
export const network = setupServer();

/**
 * Stand in for the providers' HTTP APIs in this file: requests nobody handles fail the test
 * (`"error"`), unless the file talks to a real local peer (`"bypass"`).
 */
export function useNetwork(onUnhandledRequest: "error" | "bypass" = "error") {
  beforeAll(() => network.listen({ onUnhandledRequest }));
  afterEach(() => network.resetHandlers());
  afterAll(() => network.close());
  return network;
}

export interface CapturedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/**
 * Answer `url` with the given responses in order (the last one repeats) and record every request.
 * A response may be a function, e.g. one that never resolves to simulate a hung provider.
 */
export function respondInOrder(
  method: "post" | "get",
  url: string,
  responses: (Response | (() => Response | Promise<Response>))[],
): CapturedRequest[] {
  const seen: CapturedRequest[] = [];
  const handler: RequestHandler = http[method](url, async ({ request }) => {
    seen.push({
      url: request.url,
      method: request.method,
      headers: new Headers(request.headers),
      body: await request.text(),
    });
    const next = responses[Math.min(seen.length - 1, responses.length - 1)];
    if (!next) throw new Error("no response configured");
    return typeof next === "function" ? next() : next.clone();
  });
  network.use(handler);
  return seen;
}
