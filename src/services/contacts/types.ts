import type { ContactStatus, contacts } from "../../db/schema";

export type ContactRow = typeof contacts.$inferSelect;

export interface ContactFields {
  email?: string;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  timezone?: string | null;
  locale?: string | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
  validation_score?: number | null;
  deliverable?: boolean | null;
  status?: ContactStatus;
  lifecycle_stage?: string | null;
}
