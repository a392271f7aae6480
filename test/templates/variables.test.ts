/** The seed systems' template variables, and warnings for variables nothing provides. */
import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { rawOf } from "../../src/services/messages/store";
import { json } from "../helpers/api";
import {
  drainSend,
  entry,
  fireAlarms,
  fixture,
  runningScenario,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();

describe("template variables", () => {
  it("domain, contact_name, siret, phone, unsubscribe_link and tracking_base render; unknown ones are warned about", async () => {
    const f = await fixture(0);
    const t = await json("/api/v1/templates", {
      key: f.org.key,
      body: {
        name: "Seed",
        subject: "Pour {{ contact_name }} chez {{ domain }}",
        html: "<p>SIRET {{ siret }} tel {{ phone }} {{ unsubscribe_link }} {{ tracking_base }} {{ coupon_code }}</p>",
      },
      expect: 201,
    });
    expect(t.warnings).toEqual([
      {
        field: "html",
        message: "unknown variable coupon_code: no contact field provides it, it renders empty",
      },
    ]);
    const ok = await json(`/api/v1/templates/${t.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: {
        html: "<p>SIRET {{ siret }} tel {{ phone }} {{ unsubscribe_link }} {{ tracking_base }}{% for t in tags %}{{ t }}{% endfor %}</p>",
      },
      expect: 200,
    });
    expect(ok.warnings).toEqual([]);
    const s = await runningScenario(f, q, {
      steps: [entry(t.id)],
      contacts: [
        {
          email: "marie@acme.fr",
          first_name: "Marie",
          last_name: "Curie",
          phone: "+33612345678",
          attributes: { siret: "12345678901234" },
        },
      ],
    });
    let row: { id: string } | null = null;
    for (let i = 0; i < 10 && !row; i++) {
      await fireAlarms(s.scenarioId, s.contactIds);
      await drainSend(q);
      row = await env.DB.prepare("SELECT id FROM messages WHERE scenario_id = ?1")
        .bind(s.scenarioId)
        .first<{ id: string }>();
    }
    const message = await env.DB.prepare("SELECT * FROM messages WHERE id = ?1")
      .bind(row?.id)
      .first<Record<string, unknown>>();
    expect(message?.subject).toBe("Pour Marie Curie chez acme.fr");
    const raw =
      (await rawOf(env.ARCHIVE, {
        raw: message?.raw as string | null,
        rawRef: message?.raw_ref as string | null,
      } as never)) ?? "";
    const body = (await PostalMime.parse(raw)).html ?? "";
    expect(body).toContain("SIRET 12345678901234 tel +33612345678");
    expect(body).toMatch(/https:\/\/mail\.example\.test\/u\/[\w.-]+/);
    expect(body).toContain("https://mail.example.test");
  });
});
