/**
 * The Worker's one test hook. Tests that drive the queues by hand (instead of letting miniflare
 * deliver in the background) swap the SEND and ENROLL queues, and may force metering to read the
 * D1 rows written, for everything that runs in the isolate, like `setClock` does for time: the
 * Worker, its Durable Objects and the tests share one isolate. Production never sets it.
 *
 * Only the entries apply it (src/index.ts and the Durable Object constructors, through `seamed`);
 * below them every service takes the env as an argument and uses its bindings as they are.
 */
import { meteredEnv } from "./metering";

interface Seams {
  sendQueue?: Queue;
  enrollQueue?: Queue;
  meter?: boolean;
}

let seams: Seams = {};

/** Test hook: replace the SEND/ENROLL queues and/or force metering; `{}` restores the defaults. */
export function setTestSeams(next: Seams): void {
  seams = next;
}

/**
 * The env an entry hands down: its own bindings, or the test's queues while a test has set them.
 * Read at each access, so an object built before a test (a Durable Object) follows the test's seams.
 */
export function seamed(env: Env): Env {
  return new Proxy(env, {
    get(target, key, receiver) {
      if (key === "SEND_QUEUE" && seams.sendQueue) return seams.sendQueue;
      if (key === "ENROLL_QUEUE" && seams.enrollQueue) return seams.enrollQueue;
      if (seams.meter && (key === "DB" || key === "METERING"))
        return Reflect.get(meteredEnv({ ...target, METERING: "on" }), key);
      return Reflect.get(target, key, receiver);
    },
  });
}
