import { iso, now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { consentsView } from "../consent/store";
import type { ContactRow } from "./types";

/** The public shape of a contact (API.md). */
export function contactView(c: ContactRow) {
  return {
    id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    timezone: c.timezone,
    locale: c.locale,
    tags: parseJson<string[]>(c.tags, []),
    attributes: parseJson<Record<string, unknown>>(c.attributes, {}),
    status: c.status,
    lifecycle_stage: c.lifecycleStage,
    score: c.score,
    validation_score: c.validationScore,
    deliverable: c.deliverable,
    last_event_at: iso(c.lastEventAt),
    last_opened_at: iso(c.lastOpenedAt),
    last_clicked_at: iso(c.lastClickedAt),
    consents: consentsView(c),
    purchase_count: c.purchaseCount,
    total_spent: c.totalSpent,
    last_purchase_at: iso(c.lastPurchaseAt),
    rfm: rfmView(c),
    rfm_segment: c.rfmSegment,
    rfm_score: c.rfmScore,
    fit_score: c.fitScore,
    created_at: iso(c.createdAt) as string,
    updated_at: iso(c.updatedAt) as string,
  };
}
export type ContactView = ReturnType<typeof contactView>;

/** The stored RFM with recency in whole days, as of now (it is not rewritten every day). */
function rfmView(c: ContactRow) {
  const stored = parseJson<Record<string, unknown> | null>(c.rfm, null);
  if (!stored) return null;
  const recency = c.lastPurchaseAt === null ? null : Math.floor((now() - c.lastPurchaseAt) / 86_400_000);
  return {
    recency_days: recency,
    frequency: stored.frequency,
    monetary: stored.monetary,
    r: stored.r,
    f: stored.f,
    m: stored.m,
    score: stored.score,
    segment: stored.segment,
    computed_at: iso(stored.computed_at as number | null),
  };
}
