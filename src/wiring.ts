/**
 * What the Worker plugs together, in one place, called once by the entry (src/index.ts) before
 * anything runs: what a new organization is seeded with, the checks a campaign audience goes
 * through, and who hears every applied event. Nothing registers itself on import.
 */
import { stepWinnerSubscriber } from "./services/ab-winner/scenario";
import { useAudienceChecks } from "./services/campaigns/audience";
import { deliverabilityGuard } from "./services/deliverability/health";
import { frequencyCapCheck } from "./services/deliverability/frequency";
import { forwardToSequences } from "./services/events/consume/sequences";
import { useEventSubscribers } from "./services/events/consume/subscribers";
import { seedConfirmationTemplates } from "./services/forms/templates";
import { useOrganizationSeeders } from "./services/organizations/seeders";
import { recommendationCheck } from "./services/recommendations/audience-check";
import { seedRecommendationTemplates } from "./services/recommendations/templates";
import { seedDefaultRules } from "./services/rules/defaults";
import { useCausedListener } from "./services/rules/deps";
import { journeyEntries, journeysOnCaused } from "./services/scenarios/flow/entries";
import { rulesSubscriber } from "./services/rules/subscriber";

export function wire(): void {
  // A new organization: the recommendation templates, the double opt-in templates, then the five
  // default rules (which create the two templates they send).
  useOrganizationSeeders([seedRecommendationTemplates, seedConfirmationTemplates, seedDefaultRules]);
  // A campaign's audience, after consent and suppression: the frequency cap, then recommendations.
  useAudienceChecks([frequencyCapCheck, recommendationCheck]);
  // Every applied event, in order: the contact's sequences, the rules, the journeys it starts, the
  // deliverability guard (pauses on bounce or complaint rates), the A/B winner of the step that sent
  // the message.
  useEventSubscribers([
    forwardToSequences,
    rulesSubscriber,
    journeyEntries,
    deliverabilityGuard,
    stepWinnerSubscriber,
  ]);
  // A tag or a score an action caused may start journeys too.
  useCausedListener(journeysOnCaused);
}
