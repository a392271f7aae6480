import { createApp } from "./app";
import { configOf } from "./config";
import { runCron } from "./cron";
import { errorBody } from "./lib/errors";
import { countFor, meteredEnv, meterQueueBatch } from "./lib/metering";
import { handleQueueBatch } from "../queues";

export { SequenceDO } from "../durable-objects/sequence-do";
export { RuleTimerDO } from "../durable-objects/rule-timer-do";
export { PacerDO } from "../durable-objects/pacer-do";

const app = createApp();

export default {
  async fetch(request, rawEnv, ctx) {
    const env = meteredEnv(rawEnv);
    countFor(env, "workerRequests");
    try {
      configOf(env);
    } catch (e) {
      console.error(e);
      return Response.json(errorBody("INTERNAL_ERROR", "the Worker is misconfigured; see its logs"), {
        status: 500,
      });
    }
    return app.fetch(request, env, ctx);
  },
  async queue(batch, rawEnv, ctx) {
    const env = meteredEnv(rawEnv);
    // Counts the invocation and each message's read + delete (ack) or read + retry.
    await meterQueueBatch(env, batch, (b) => handleQueueBatch(b, env, ctx));
  },
  async scheduled(controller, rawEnv, ctx) {
    const env = meteredEnv(rawEnv);
    countFor(env, "workerRequests");
    await runCron(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;
