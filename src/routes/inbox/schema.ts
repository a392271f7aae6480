import { z } from "@hono/zod-openapi";
import { paginationQuery } from "../../lib/pagination";
import { timezoneField } from "../../lib/validation";
import { DUE_BUCKETS } from "../../services/inbox/due";
import type { InboxFilters } from "../../services/inbox/query";
import type { InteractionStatus } from "../../services/inbox/view";
import { Interaction } from "../interactions/schema";

const STATUS_LIST = /^(all|(todo|in_progress|done)(,(todo|in_progress|done))*)$/;

/** The inbox filters (shared by the JSON list and the CSV export). */
export const inboxFilterQuery = {
  assignee: z.string().min(1).max(100).optional().openapi({
    description: '"me" (the key\'s team member), "unassigned", or a team member id; default everyone',
  }),
  status: z
    .string()
    .regex(STATUS_LIST, "must be todo, in_progress, done, a comma-separated list of them, or all")
    .optional()
    .openapi({ description: "Default: everything not done", example: "todo,in_progress" }),
  due: z.enum(DUE_BUCKETS).default("all").openapi({
    description:
      "overdue: before now; today / week: from local midnight, 1 or 7 local days, in the user's time zone",
  }),
  timezone: timezoneField
    .optional()
    .openapi({ description: "Time zone of the due buckets; default the key's user's, else UTC" }),
};

export const InboxQuery = z.object({ ...paginationQuery, ...inboxFilterQuery });

/** Query fields -> service filters. */
export function inboxFilters(q: {
  assignee?: string;
  status?: string;
  due: InboxFilters["due"];
  timezone?: string;
}): InboxFilters {
  const status =
    q.status === undefined
      ? undefined
      : q.status === "all"
        ? ["todo", "in_progress", "done"]
        : q.status.split(",");
  return {
    assignee: q.assignee,
    status: status as InteractionStatus[] | undefined,
    due: q.due,
    timezone: q.timezone,
  };
}

const ContactSummary = z
  .object({
    id: z.string(),
    email: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
  })
  .openapi("InboxContact");

export const InboxItem = Interaction.extend({ contact: ContactSummary.nullable() }).openapi("InboxItem");

export const InboxPage = z
  .object({
    items: z.array(InboxItem),
    total: z.number().int().openapi({ description: "Items matching the filters, all pages together" }),
    limit: z.number().int(),
    next_cursor: z.string().nullable(),
  })
  .openapi("InboxPage");
