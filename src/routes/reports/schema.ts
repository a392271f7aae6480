import { z } from "@hono/zod-openapi";
import { isCalendarDate } from "../../services/reports/days";

export const tags = ["Reports"];

const date = z.string().max(10).refine(isCalendarDate, "use a real date, YYYY-MM-DD");

export const PeriodQuery = {
  from: date.optional().openapi({
    description: "First day, YYYY-MM-DD in the organization's timezone (default: 29 days before to)",
  }),
  to: date.optional().openapi({ description: "Last day, inclusive (default: today)" }),
};

const Counters = {
  sent: z.number(),
  delivered: z.number(),
  opened: z.number().openapi({ description: "Messages opened by a person (machine opens apart)" }),
  clicked: z.number(),
  bounced: z.number(),
  complained: z.number(),
  unsubscribed: z.number(),
  orders: z.number().openapi({ description: "Attributed purchases (settings/attribution)" }),
  revenue: z.number(),
  new_contacts: z.number(),
};
const Rates = {
  open_rate: z.number(),
  click_rate: z.number(),
  bounce_rate: z.number(),
  conversion_rate: z.number(),
};

export const Overview = z
  .object({
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
    bucket: z.enum(["day", "week"]),
    series: z.array(
      z.object({ at: z.string().openapi({ description: "The bucket's first day" }), ...Counters }),
    ),
    totals: z.object({ ...Counters, ...Rates }),
  })
  .openapi("ReportOverview");

export const GroupRow = z
  .object({ id: z.string(), name: z.string().nullable(), ...Counters, ...Rates })
  .openapi("ReportGroupRow");

export const MessagesReport = z
  .object({
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
    group_by: z.enum(["campaign", "scenario", "template"]),
    items: z.array(GroupRow),
  })
  .openapi("ReportMessages");
