import { z } from "@hono/zod-openapi";
import { paginationQuery } from "../../lib/pagination";

export const tags = ["Domains"];

const Record_ = z
  .object({
    kind: z.enum(["dkim", "spf", "mail_from", "verification", "dmarc"]),
    type: z.enum(["CNAME", "TXT", "MX"]),
    name: z.string(),
    value: z.string(),
    status: z.enum(["verified", "pending", "failed"]),
  })
  .openapi("DnsRecord");

export const Domain = z
  .object({
    id: z.string(),
    domain: z.string(),
    provider: z.string().openapi({ description: "ses, brevo, or log (DNS checks only)" }),
    status: z.enum(["verified", "pending", "failed"]),
    records: z.array(Record_),
    reason: z.string().nullable(),
    checked_at: z.string().nullable(),
    next_check_at: z.string().nullable(),
    verified_at: z.string().nullable(),
    warmup: z
      .object({
        start_per_day: z.number(),
        growth: z.number(),
        max_per_day: z.number(),
        started_at: z.string().nullable(),
        today_allowance: z.number(),
      })
      .nullable(),
    created_at: z.string(),
  })
  .openapi("SendingDomain");

export const DomainCreate = z
  .object({ domain: z.string().min(1).max(253) })
  .strict()
  .openapi("DomainCreate");

export const WarmupPut = z
  .object({
    start_per_day: z.number().int().min(1).max(1_000_000),
    growth: z.number().min(1).max(10),
    max_per_day: z.number().int().min(1).max(100_000_000),
  })
  .strict()
  .refine((w) => w.max_per_day >= w.start_per_day, {
    message: "max_per_day must be at least start_per_day",
    path: ["max_per_day"],
  })
  .nullable()
  .openapi("Warmup");

export const DomainListQuery = z.object(paginationQuery);
