import { DurableObject } from "cloudflare:workers";

/**
 * One object per (scenario, contact): `idFromName(`${scenarioId}:${contactId}`)`. It serializes the
 * contact's journey through a scenario (enroll, events, timers). The scenario engine fills it in.
 */
export class SequenceDO extends DurableObject<Env> {
  /** Liveness probe used by tests and the health of the binding. */
  async ping(): Promise<string> {
    return "pong";
  }
}
