import { tenantFor } from "../../db/route";
import { storeEvent } from "../../services/events/ingest/store";
import { SOURCES, type TrackingRaw } from "../../services/events/normalize/row";

/**
 * Store a tracking hit for the EVENTS consumer. The organization comes from the signed token. The
 * dedup key collapses repeats of the same hit within one second (a client loading a pixel twice);
 * an open or click later on is a new event.
 */
export async function recordHit(
  env: Env,
  input: { orgId: string; messageId: string; contactId?: string | null; dedupKey: string; raw: TrackingRaw },
) {
  return storeEvent(await tenantFor(env, input.orgId), env.EVENTS_QUEUE, {
    source: SOURCES.tracking,
    dedupKey: input.dedupKey,
    type: input.raw.kind,
    contactId: input.contactId ?? null,
    messageId: input.messageId,
    raw: input.raw,
  });
}

/** Clients and scanners that only ask for headers change nothing. */
export const isHead = (method: string) => method === "HEAD";

/** Bound what we keep of a User-Agent header. */
export const userAgentOf = (headers: Headers) => headers.get("User-Agent")?.slice(0, 512) ?? null;
