import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ActivateMessage, EnrollMessage } from "../../src/contracts/queue-messages";
import { setClock } from "../../src/lib/clock";
import { seamed } from "../../src/lib/seams";
import { ACTIVATIONS_PER_SECOND } from "../../src/services/scenarios/activation";
import { enrollPage } from "../../src/services/scenarios/enrollment";
import {
  createScenario,
  entry,
  fixture,
  importContacts,
  putSteps,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");

describe("an enrollment scan's pace across its messages", () => {
  it("a page's activations go on from the place its message carries; a listed contact goes at once", async () => {
    setClock(T0);
    const f = await fixture(1);
    const contactIds = await importContacts(f, 250);
    const s = await createScenario(f);
    await putSteps(f, s.id, [entry(f.templates[0] as string)]);
    await transition(f, s.id, "start");
    const first = q.enroll.take()[0]?.body as EnrollMessage;
    // A continuation 4 s into a scan that planned 10,000 contacts before it.
    await enrollPage(seamed(env), { ...first, paced_from: T0 - 4_000, paced_before: 10_000 });
    const sent = q.enroll.take();
    const activations = sent.filter((m) => (m.body as ActivateMessage).kind === "activate");
    expect(activations.map((m) => (m.body as ActivateMessage).contact_ids.length)).toEqual([100, 100, 50]);
    expect(activations.every((m) => (m.body as ActivateMessage).paced === true)).toBe(true);
    const place = (k: number) => Math.ceil((10_000 + k * 100) / ACTIVATIONS_PER_SECOND - 4);
    expect(activations.map((m) => m.delaySeconds)).toEqual([place(0), place(1), place(2)]);

    // A contact enrolled by id (created while the scenario runs) is not paced: its row is removed
    // first, so that it is enrolled again.
    const listed: EnrollMessage = { ...first, contact_ids: [contactIds[0] as string] };
    await env.DB.prepare("DELETE FROM contact_sequences WHERE contact_id = ?1").bind(contactIds[0]).run();
    await enrollPage(seamed(env), listed);
    const one = q.enroll.take().filter((m) => (m.body as ActivateMessage).kind === "activate");
    expect(one).toEqual([
      { body: expect.objectContaining({ contact_ids: [contactIds[0]] }), delaySeconds: undefined },
    ]);
    expect(Object.keys(one[0]?.body ?? {})).not.toContain("paced");
  });
});
