import type { App } from "../../app-env";
import { configOf } from "../../config";
import { now } from "../../lib/clock";
import { verifyOpen } from "../../services/tracking/tokens";
import { isHead, recordHit, userAgentOf } from "./record";

/** The smallest transparent GIF (1x1). */
const PIXEL = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (ch) =>
  ch.charCodeAt(0),
);

const pixel = () =>
  new Response(PIXEL, {
    status: 200,
    headers: {
      "Content-Type": "image/gif",
      "Content-Length": String(PIXEL.byteLength),
      // Every load must reach us: a cached pixel is an open we never see.
      "Cache-Control": "no-store, no-cache, must-revalidate, private",
    },
  });

/**
 * GET /t/o/:token — the open pixel. A valid token records an open (machine opens are told apart
 * later, by the EVENTS consumer); any token gets the pixel, so a mail client never shows a broken image.
 */
export const registerOpenTracking = (app: App) =>
  app.get("/t/o/:token", async (c) => {
    if (isHead(c.req.method)) return pixel();
    const token = await verifyOpen(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"));
    if (token) {
      try {
        await recordHit(c.env, {
          orgId: token.o,
          messageId: token.m,
          dedupKey: `open:${token.m}:${Math.floor(now() / 1000)}`,
          raw: { kind: "open", user_agent: userAgentOf(c.req.raw.headers) },
        });
      } catch (e) {
        // The reader still gets the image; the failure is logged.
        console.error("open tracking: could not store the open", token.m, e);
      }
    }
    return pixel();
  });
