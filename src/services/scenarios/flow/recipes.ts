/**
 * Journey recipes, one click to start from (the new-scenario page): each creates its email
 * templates in the member's language and writes its flow on the scenario, which the marketer then
 * adjusts on the canvas. The flows pass the same checks as PUT /flow.
 */
import type { FlowInput } from "../../../contracts/flow";
import type { Tenant } from "../../../lib/tenant";
import { createTemplate } from "../../templates/store";
import { RECIPE_TEXT, type RecipeKey } from "./recipe-texts";
import { saveFlow } from "./store";

export type { RecipeKey };
export const RECIPES: RecipeKey[] = [
  "welcome",
  "abandoned_cart",
  "post_purchase",
  "win_back",
  "birthday",
  "lead_nurturing",
];

export const isRecipe = (k: string): k is RecipeKey => (RECIPES as string[]).includes(k);

/** Each recipe's graph, given the id of each of its emails' templates. */
const GRAPHS: Record<RecipeKey, (tpl: Record<string, string>) => FlowInput> = {
  welcome: (tpl) => ({
    entry: { type: "event", event: "contact_created" },
    start: "welcome",
    nodes: [
      { id: "welcome", type: "email", template_id: tpl.welcome as string, next: "wait-2d" },
      { id: "wait-2d", type: "wait", days: 2, next: "tips" },
      { id: "tips", type: "email", template_id: tpl.tips as string, next: "clicked" },
      { id: "clicked", type: "wait_for", event: "clicked", within: { days: 3 }, yes: "engaged", no: "offer" },
      { id: "engaged", type: "action", action: { type: "add_tag", config: { tag: "engaged" } } },
      { id: "offer", type: "email", template_id: tpl.offer as string },
    ],
  }),
  abandoned_cart: (tpl) => ({
    entry: { type: "event", event: "custom", name: "cart_abandoned", dedup_key: "cart_id" },
    reentry: { policy: "always" },
    goal: { event: "purchase" },
    start: "bought",
    nodes: [
      { id: "bought", type: "wait_for", event: "purchase", within: { hours: 4 }, yes: "done", no: "vip" },
      {
        id: "vip",
        type: "condition",
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "vip" }] },
        yes: "sms",
        no: "reminder",
      },
      { id: "sms", type: "sms", content: "Your cart is waiting for you.", sender: "Shop" },
      { id: "reminder", type: "email", template_id: tpl.reminder as string, next: "bought-later" },
      {
        id: "bought-later",
        type: "wait_for",
        event: "purchase",
        within: { days: 1 },
        yes: "done",
        no: "last-call",
      },
      { id: "last-call", type: "email", template_id: tpl.last_call as string },
      { id: "done", type: "exit" },
    ],
  }),
  post_purchase: (tpl) => ({
    entry: { type: "event", event: "purchase", dedup_key: "order_id" },
    reentry: { policy: "always" },
    start: "wait-3d",
    nodes: [
      { id: "wait-3d", type: "wait", days: 3, next: "thanks" },
      { id: "thanks", type: "email", template_id: tpl.thanks as string, next: "reviewed" },
      {
        id: "reviewed",
        type: "wait_for",
        event: "clicked",
        within: { days: 5 },
        yes: "reviewer",
        no: "reminder",
      },
      { id: "reviewer", type: "action", action: { type: "add_tag", config: { tag: "reviewer" } } },
      { id: "reminder", type: "email", template_id: tpl.review_reminder as string },
    ],
  }),
  win_back: (tpl) => ({
    entry: { type: "event", event: "rfm_segment_changed", properties: { to: "At Risk" } },
    reentry: { policy: "after_days", days: 90 },
    goal: { event: "purchase" },
    start: "miss-you",
    nodes: [
      { id: "miss-you", type: "email", template_id: tpl.miss_you as string, next: "bought" },
      { id: "bought", type: "wait_for", event: "purchase", within: { days: 7 }, yes: "done", no: "offer" },
      { id: "offer", type: "email", template_id: tpl.offer as string, next: "wait-7d" },
      { id: "wait-7d", type: "wait", days: 7, next: "lapsed" },
      { id: "lapsed", type: "action", action: { type: "add_tag", config: { tag: "lapsed" } } },
      { id: "done", type: "exit" },
    ],
  }),
  birthday: (tpl) => ({
    entry: { type: "date", attribute: "birthday", yearly: true, at: "09:00" },
    reentry: { policy: "always" },
    start: "birthday",
    nodes: [{ id: "birthday", type: "email", template_id: tpl.birthday as string }],
  }),
  lead_nurturing: (tpl) => ({
    entry: { type: "event", event: "form_submit" },
    start: "guide",
    nodes: [
      { id: "guide", type: "email", template_id: tpl.guide as string, next: "wait-3d" },
      { id: "wait-3d", type: "wait", days: 3, next: "story" },
      { id: "story", type: "email", template_id: tpl.story as string, next: "wait-2d" },
      { id: "wait-2d", type: "wait", days: 2, next: "hot" },
      {
        id: "hot",
        type: "condition",
        criteria: { logic: "and", conditions: [{ field: "score", operator: "gte", value: 20 }] },
        yes: "call",
        no: "case-study",
      },
      {
        id: "call",
        type: "action",
        action: { type: "create_task", config: { title: "Call this hot lead", due_in_minutes: 1440 } },
        next: "tell",
      },
      {
        id: "tell",
        type: "action",
        action: { type: "notify", config: { title: "A hot lead is ready for a call" } },
      },
      { id: "case-study", type: "email", template_id: tpl.case_study as string },
    ],
  }),
};

/** The recipes as the new-scenario page lists them. */
export const recipeList = (lang: "en" | "fr") =>
  RECIPES.map((key) => ({
    key,
    name: RECIPE_TEXT[lang][key].name,
    description: RECIPE_TEXT[lang][key].description,
  }));

/** Create the recipe's templates and write its flow on the scenario (a new version). */
export async function applyRecipe(tenant: Tenant, scenarioId: string, key: RecipeKey, lang: "en" | "fr") {
  const text = RECIPE_TEXT[lang][key];
  const tpl: Record<string, string> = {};
  for (const [mail, m] of Object.entries(text.mails)) {
    const row = await createTemplate(tenant, {
      name: `${text.name} · ${m.subject}`.slice(0, 200),
      subject: m.subject,
      html: m.body,
    });
    tpl[mail] = row.id;
  }
  return saveFlow(tenant, scenarioId, GRAPHS[key](tpl));
}
