/**
 * Where the scenario engine gets its bindings. In production: the env's own, metered when the
 * bench turns METERING on. Tests may swap the queues (to drive consumers by hand instead of
 * letting miniflare deliver in the background) and force metering (to read D1 rows written),
 * like `setClock` does for time: the Worker, its Durable Objects and the tests share one isolate.
 */
import { meteredEnv, meteringOn } from "../../lib/metering";

interface Seams {
  sendQueue?: Queue;
  enrollQueue?: Queue;
  meter?: boolean;
}

let seams: Seams = {};

/** Test hook: replace the SEND/ENROLL queues and/or force D1 metering; `{}` restores the defaults. */
export function setScenarioSeams(next: Seams): void {
  seams = next;
}

/** The two namespace methods the engine uses. */
export type SequenceNamespace = Pick<Env["SEQUENCE"], "get" | "idFromName">;

export interface ScenarioBindings {
  /** The env the engine runs against (metered when metering is on): pass it to tenantFor. */
  env: Env;
  DB: D1Database;
  SEND_QUEUE: Queue;
  ENROLL_QUEUE: Queue;
  SEQUENCE: SequenceNamespace;
}

/** The bindings the engine uses, with the test seams applied. */
export function bindings(env: Env): ScenarioBindings {
  const metered = seams.meter === true || meteringOn(env as { METERING?: string });
  const base = metered ? meteredEnv({ ...env, METERING: "on" }) : env;
  return {
    env: base,
    DB: base.DB,
    SEND_QUEUE: seams.sendQueue ?? base.SEND_QUEUE,
    ENROLL_QUEUE: seams.enrollQueue ?? base.ENROLL_QUEUE,
    // The env's own namespace (lib/metering meters it when the bench turns METERING on).
    SEQUENCE: env.SEQUENCE,
  };
}
