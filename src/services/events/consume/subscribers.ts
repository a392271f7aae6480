import type { EventSubscriber } from "../types";

/**
 * The subscribers every applied event goes to, in order (src/wiring.ts sets them at start: the
 * SequenceDO forwarder, the rules engine, the deliverability guard, the A/B step winner).
 */
export const eventSubscribers: EventSubscriber[] = [];

/** Set the subscribers, in order. */
export function useEventSubscribers(list: EventSubscriber[]): void {
  eventSubscribers.splice(0, eventSubscribers.length, ...list);
}
