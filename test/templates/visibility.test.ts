import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import PostalMime from "postal-mime";
import { expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { messages } from "../../src/db/schema";
import { type MessageRow, rawOf } from "../../src/services/messages/store";
import { json } from "../helpers/api";
import { deliver, enqueueSend, outcomeSpy, sendingFixture } from "../helpers/sending";

const VIP = { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "vip" }] };
const DESIGN = {
  blocks: [
    { type: "heading", id: "hello", text: "Bonjour {{ first_name }}", level: 1 },
    { type: "text", id: "vip-offer", html: "<p>Votre remise VIP : -30 %</p>", visible_if: VIP },
    {
      type: "section",
      visible_if: { logic: "and", conditions: [{ field: "tags", operator: "not_contains", value: "vip" }] },
      columns: [[{ type: "text", html: "<p>Rejoignez le club VIP</p>" }]],
    },
    { type: "footer", address: "1 rue Principale, Paris" },
  ],
};

it("visible_if: criteria checked as a segment's; a send shows each block only to the contacts it matches; previews show all", async () => {
  const f = await sendingFixture();
  const key = f.org.key;
  const bad = await json<{ error: { details: { field: string }[] } }>("/api/v1/templates", {
    key,
    body: {
      name: "x",
      subject: "s",
      design: {
        blocks: [
          {
            type: "divider",
            visible_if: { logic: "and", conditions: [{ field: "shoe_size", operator: "eq", value: 1 }] },
          },
        ],
      },
    },
    expect: 422,
  });
  expect(bad.error.details[0]?.field).toBe("design.blocks.0.visible_if.conditions.0.field");

  const tpl = await json<{ id: string; html: string; text: string; warnings: unknown[] }>(
    "/api/v1/templates",
    {
      key,
      body: { name: "Club", subject: "Pour {{ first_name }}", design: DESIGN },
      expect: 201,
    },
  );
  expect(tpl.html).toContain('{% unless hidden["vip-offer"] %}');
  expect(tpl.html).toContain('{% unless hidden["n3"] %}');
  expect(tpl.text).toContain('{% unless hidden["vip-offer"] %}');
  expect(tpl.warnings).toEqual([]);
  // The preview (no send) shows every block.
  const preview = await json<{ html: string }>(`/api/v1/templates/${tpl.id}/preview`, {
    key,
    body: { contact_id: f.contact.id },
  });
  expect(preview.html).toContain("Votre remise VIP");
  expect(preview.html).toContain("Rejoignez le club VIP");

  const vip = await json<{ id: string }>("/api/v1/contacts", {
    key,
    body: { email: "vip@example.com", first_name: "Vera", tags: ["vip"] },
    expect: 201,
  });
  const bodies = [];
  for (const contactId of [vip.id, f.contact.id])
    bodies.push(
      (
        await enqueueSend(f.tenant, {
          keyParts: [f.org.id, f.scenarioId, 1, contactId, "vis"],
          contactId,
          scenarioId: f.scenarioId,
          stepOrder: 1,
          variantName: "A",
          templateId: tpl.id,
        })
      ).body,
    );
  await deliver(createSendConsumer({ notify: outcomeSpy().notify }), bodies);
  const rows = await f.tenant.db.select().from(messages).where(eq(messages.scenarioId, f.scenarioId)).all();
  const mailOf = async (contactId: string) => {
    const row = rows.find((m) => m.contactId === contactId) as MessageRow;
    return PostalMime.parse((await rawOf(env.ARCHIVE, row)) ?? "");
  };
  const toVip = await mailOf(vip.id);
  expect(toVip.html).toContain("Votre remise VIP");
  expect(toVip.html).not.toContain("Rejoignez le club VIP");
  expect(toVip.text).toContain("Votre remise VIP");
  expect(toVip.text).not.toContain("Rejoignez");
  const toOther = await mailOf(f.contact.id);
  expect(toOther.html).not.toContain("Votre remise VIP");
  expect(toOther.html).toContain("Rejoignez le club VIP");
  expect(toOther.html).toContain("Bonjour Ada");
});
