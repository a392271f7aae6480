import { now } from "../lib/clock";
import { createDb } from "../db/client";
import { endIdleSessions } from "../services/app/sessions";

/** Daily: web UI sessions idle for 12 hours and used or expired sign-in links leave the directory. */
export async function uiSessionsJob(_c: ScheduledController, env: Env) {
  const removed = await endIdleSessions(createDb(env.DB), now());
  if (removed.sessions || removed.links) console.log("ui sessions: removed", removed);
}
