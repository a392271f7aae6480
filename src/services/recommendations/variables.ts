import type { Tenant } from "../../lib/tenant";
import { recommendationContext, recommendationsFor } from "./recommend";
import { getRfmSettings } from "../rfm/compute";
import type { ContactRow } from "../contacts/types";

/** `recommendations`, `recommendation_kind` and `offer_code` for a template (one D1 query plus settings). */
export async function recommendationVariables(
  tenant: Tenant,
  contact: Pick<ContactRow, "id" | "rfmSegment">,
) {
  const [r, s] = await Promise.all([recommendationsFor(tenant, contact), getRfmSettings(tenant)]);
  return { ...recommendationContext(r), offer_code: s.offer_code ?? "" };
}

/** Whether a template's sources use the recommendation variables (only then are they computed). */
export const usesRecommendations = (...sources: (string | null | undefined)[]) =>
  sources.some((s) => !!s && /\b(recommendations|recommendation_kind|offer_code)\b/.test(s));
