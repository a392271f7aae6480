import { createApp } from "./app";
import { configOf } from "./config";
import { runCron } from "./cron";
import { errorBody } from "./lib/errors";
import { randomToken } from "./lib/ids";
import { timingSafeEqual } from "./lib/crypto";
import { countFor, meteredEnv, meteringOn, meterQueueBatch } from "./lib/metering";
import { seamed } from "./lib/seams";
import { handleQueueBatch } from "../queues";
import { receiveEmail } from "./services/replies/inbound";
import { wire } from "./wiring";

export { SequenceDO } from "../durable-objects/sequence-do";
export { RuleTimerDO } from "../durable-objects/rule-timer-do";
export { PacerDO } from "../durable-objects/pacer-do";
export { CampaignClockDO } from "../durable-objects/campaign-clock-do";

wire();
const app = createApp();

function isUnmetered(request: Request, env: Env): boolean {
  const token = request.headers.get("X-Bench-Unmetered");
  return !!token && meteringOn(env) && timingSafeEqual(token, String(env.ADMIN_TOKEN ?? ""));
}

export default {
  async fetch(request, rawEnv, ctx) {
    // The bench's own look-ups (reading back what it sent) carry the operator token here and are
    // left out of the metered units; without METERING on, the header changes nothing.
    const unmetered = isUnmetered(request, rawEnv);
    const env = seamed(unmetered ? rawEnv : meteredEnv(rawEnv));
    if (!unmetered) countFor(env, "workerRequests");
    try {
      configOf(env);
    } catch (e) {
      console.error(e);
      const id = `req_${randomToken(12)}`;
      return Response.json(errorBody("INTERNAL_ERROR", "the Worker is misconfigured; see its logs", [], id), {
        status: 500,
        headers: { "X-Request-Id": id },
      });
    }
    return app.fetch(request, env, ctx);
  },
  async queue(batch, rawEnv, ctx) {
    const env = seamed(meteredEnv(rawEnv));
    // Counts the invocation and each message's read + delete (ack) or read + retry.
    await meterQueueBatch(env, batch, (b) => handleQueueBatch(b, env, ctx));
  },
  /** Cloudflare Email Routing: replies to reply+<token>@<inbound domain> (services/replies). */
  async email(message, rawEnv) {
    const env = seamed(meteredEnv(rawEnv));
    countFor(env, "workerRequests");
    await receiveEmail(message, env);
  },
  async scheduled(controller, rawEnv, ctx) {
    const env = seamed(meteredEnv(rawEnv));
    countFor(env, "workerRequests");
    await runCron(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;
