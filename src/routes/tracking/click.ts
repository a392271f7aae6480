import type { App } from "../../app-env";
import { configOf } from "../../config";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { verifyClick } from "../../services/tracking/tokens";
import { isHead, recordHit, userAgentOf } from "./record";

/**
 * GET /t/c/:token — a tracked link. The destination is inside the signed token, so this endpoint
 * only ever redirects to URLs it signed: a forged, truncated or altered token answers 404 with no
 * Location (no open redirect). A valid one records the click, then 302 to the destination.
 */
export const registerClickTracking = (app: App) =>
  app.get("/t/c/:token", async (c) => {
    const token = await verifyClick(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"));
    let destination: string | null = null;
    try {
      destination = token ? new URL(token.u).toString() : null;
    } catch {
      destination = null;
    }
    if (!token || !destination) throw new ApiError("NOT_FOUND", "unknown link");
    if (!isHead(c.req.method)) {
      try {
        const link = (await sha256Hex(token.u)).slice(0, 16);
        await recordHit(c.env, {
          orgId: token.o,
          messageId: token.m,
          dedupKey: `click:${token.m}:${link}:${Math.floor(now() / 1000)}`,
          raw: { kind: "click", url: token.u, user_agent: userAgentOf(c.req.raw.headers) },
        });
      } catch (e) {
        // The reader still reaches the page; the failure is logged.
        console.error("click tracking: could not store the click", token.m, e);
      }
    }
    return new Response(null, {
      status: 302,
      headers: { Location: destination, "Cache-Control": "no-store" },
    });
  });
