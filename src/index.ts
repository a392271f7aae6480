import { createApp } from "./app";
import { configOf } from "./config";
import { runCron } from "./cron";
import { errorBody } from "./lib/errors";
import { handleQueueBatch } from "../queues";

export { SequenceDO } from "../durable-objects/sequence-do";
export { RuleTimerDO } from "../durable-objects/rule-timer-do";

const app = createApp();

export default {
  async fetch(request, env, ctx) {
    try {
      configOf(env);
    } catch (e) {
      console.error(e);
      return Response.json(errorBody("INTERNAL_ERROR", "the Worker is misconfigured; see its logs"), { status: 500 });
    }
    return app.fetch(request, env, ctx);
  },
  async queue(batch, env, ctx) {
    await handleQueueBatch(batch, env, ctx);
  },
  async scheduled(controller, env, ctx) {
    await runCron(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;
