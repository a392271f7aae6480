import { addTag, removeTag, updateField, updateScore } from "./actions-contact";
import {
  type ActionContext,
  createTask,
  enrollInScenario,
  pauseSequences,
  sendEmail,
  sendSms,
  triggerWebhook,
} from "./actions-outbound";
import type { RuleAction } from "./definitions";
import type { ActionOutcome } from "./types";

export type { ActionContext } from "./actions-outbound";

/** Actions that change the contact: conditions of the rules after them must see the new state. */
export const CHANGES_CONTACT = new Set<RuleAction["type"]>([
  "update_score",
  "add_tag",
  "remove_tag",
  "update_field",
]);

/** Actions that insert a row no key protects: their outcome is recorded at once, not at the end of the run. */
export const CHECKPOINTED = new Set<RuleAction["type"]>(["create_task", "schedule_call"]);

/** Run one action. Unexpected errors (D1 down) throw; expected refusals come back as skipped or failed. */
export async function executeAction(ctx: ActionContext, action: RuleAction): Promise<ActionOutcome> {
  const { tenant } = ctx.deps;
  const key = { ruleId: ctx.rule.id, eventId: ctx.event.id, index: ctx.index };
  switch (action.type) {
    case "update_score":
      return updateScore(tenant, ctx.contact.id, action, key);
    case "add_tag":
      return addTag(tenant, ctx.contact.id, action.config.tag);
    case "remove_tag":
      return removeTag(tenant, ctx.contact.id, action.config.tag);
    case "update_field":
      return updateField(tenant, ctx.contact.id, action);
    case "create_task":
    case "schedule_call":
      return createTask(ctx, action);
    case "send_email":
      return sendEmail(ctx, action);
    case "enroll_in_scenario":
      return enrollInScenario(ctx, action);
    case "pause_sequences":
      return pauseSequences(ctx, action);
    case "trigger_webhook":
      return triggerWebhook(ctx, action);
    case "send_sms":
      return sendSms(ctx, action);
  }
}
