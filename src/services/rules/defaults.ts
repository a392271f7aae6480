import type { Tenant } from "../../lib/tenant";
import { createTemplate, type TemplateInput } from "../templates/store";
import type { RuleCreate } from "./definitions";
import { createRule } from "./store";

/**
 * The default emails are ordinary templates created with the organization, so they can be edited
 * like any other (the rules name them by id).
 */
export const DEFAULT_TEMPLATES = {
  thankYou: {
    name: "Thank you for your purchase",
    subject: "Thank you for your purchase, {{ first_name | default: 'friend' }}",
    html: "<p>Hi {{ first_name | default: 'there' }},</p><p>Thank you for your purchase! We hope you enjoy it.</p>",
    text: "Hi {{ first_name | default: 'there' }},\n\nThank you for your purchase! We hope you enjoy it.",
  },
  vip: {
    name: "VIP offer",
    subject: "A VIP offer, just for you",
    html: "<p>Hi {{ first_name | default: 'there' }},</p><p>You are one of our most engaged customers: here is a VIP offer, just for you.</p>",
    text: "Hi {{ first_name | default: 'there' }},\n\nYou are one of our most engaged customers: here is a VIP offer, just for you.",
  },
} satisfies Record<string, TemplateInput>;

/**
 * The five default rules of API.md. Opens, clicks and bounces already earn (or lose) points through
 * engagement scoring, so these rules only tag on them and never add points for them.
 */
export function defaultRules(templates: { thankYou: string; vip: string }): RuleCreate[] {
  return [
    {
      name: "Clicked an email: tag engaged",
      trigger: "email_clicked",
      actions: [{ type: "add_tag", config: { tag: "engaged" }, delay_minutes: 0 }],
      priority: 50,
    },
    {
      name: "Email bounced: tag invalid_email",
      trigger: "email_bounced",
      // A soft (Transient) bounce says nothing about the address.
      conditions: { all: [{ field: "event.bounce_type", op: "neq", value: "Transient" }] },
      actions: [{ type: "add_tag", config: { tag: "invalid_email" }, delay_minutes: 0 }],
      priority: 50,
    },
    {
      name: "Purchase over 50: +50 points, thank-you email, follow-up task",
      trigger: "purchase",
      conditions: { all: [{ field: "event.amount", op: "gt", value: 50 }] },
      actions: [
        { type: "update_score", config: { points: 50 }, delay_minutes: 0 },
        { type: "send_email", config: { template_id: templates.thankYou }, delay_minutes: 5 },
        {
          type: "create_task",
          config: { title: "Follow up on the purchase of {{ email }}", due_in_minutes: 24 * 60 },
          delay_minutes: 0,
        },
      ],
      priority: 60,
    },
    {
      name: "Lead score reached 80: VIP offer and a call",
      trigger: "lead_score_high",
      trigger_config: { threshold: 80 },
      actions: [
        { type: "send_email", config: { template_id: templates.vip }, delay_minutes: 0 },
        {
          type: "schedule_call",
          config: { title: "Call {{ email }} (hot lead)", due_in_minutes: 120 },
          delay_minutes: 0,
        },
      ],
      priority: 70,
    },
    {
      name: "Unsubscribed: -100 points and tag unsubscribed",
      trigger: "unsubscribed",
      actions: [
        { type: "update_score", config: { points: -100 }, delay_minutes: 0 },
        { type: "add_tag", config: { tag: "unsubscribed" }, delay_minutes: 0 },
      ],
      priority: 90,
    },
  ];
}

/** Create the default templates and rules of a new organization. */
export async function seedDefaultRules(tenant: Tenant): Promise<void> {
  const [thankYou, vip] = await Promise.all([
    createTemplate(tenant, DEFAULT_TEMPLATES.thankYou),
    createTemplate(tenant, DEFAULT_TEMPLATES.vip),
  ]);
  for (const rule of defaultRules({ thankYou: thankYou.id, vip: vip.id }))
    await createRule(tenant, rule, { isDefault: true });
}
