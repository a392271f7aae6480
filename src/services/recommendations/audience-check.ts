import { parseJson } from "../../lib/json";
import type { AudienceCheck } from "../campaigns/audience";
import { recommendationKinds } from "./recommend";

/**
 * A recommendations campaign sends each recipient the template of their kind; a contact with no
 * kind (no purchase yet) or no product to recommend is excluded as no_recommendation.
 */
export const recommendationCheck: AudienceCheck = {
  reason: "no_recommendation",
  async exclude(tenant, campaign, page) {
    const out = new Map<string, { templateId?: string; data?: unknown } | null>();
    if (campaign.kind !== "recommendations") return out;
    const templates = parseJson<Record<string, string>>(campaign.templates, {});
    const kinds = await recommendationKinds(tenant, page);
    for (const c of page) {
      const kind = kinds.get(c.id);
      const templateId = kind ? templates[kind] : undefined;
      out.set(c.id, kind && templateId ? { templateId, data: kind } : null);
    }
    return out;
  },
};
