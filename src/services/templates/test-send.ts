/**
 * A test send (POST /templates/:id/test-send): the template rendered for a chosen contact (or as
 * the team member would see it with only an address) and sent to team members only, subject
 * prefixed "[Test]", through the SEND pipeline like a reminder (no contact is created, nothing
 * counts in campaign or journey stats). The organization's configured provider sends it, else `log`.
 */
import { now } from "../../lib/clock";
import { ApiError } from "../../lib/errors";
import { liquidLiteral } from "../../lib/html";
import type { Tenant } from "../../lib/tenant";
import { normalizeEmail } from "../../lib/validation";
import type { ContactRow } from "../contacts/types";
import { SAMPLE_CONTACT } from "./sample-contact";
import { createSendOperation } from "../ledger/create";
import { messageIdFor } from "../ledger/types";
import { listUsers } from "../users/store";
import { getTemplate, renderTemplate, previewContext } from "./store";
import { withSnippets } from "./snippets";

export async function testSend(
  env: Env,
  tenant: Tenant,
  templateId: string,
  input: { emails: string[]; contact?: ContactRow },
  baseUrl: string,
): Promise<{ message_ids: string[] }> {
  const template = await getTemplate(tenant, templateId);
  const members = new Set(
    (await listUsers(tenant, { limit: 1000 })).items.map((u) => normalizeEmail(u.email)),
  );
  const emails = [...new Set(input.emails.map(normalizeEmail))];
  const strangers = input.emails.map((e, i) => ({ e, i })).filter(({ e }) => !members.has(normalizeEmail(e)));
  if (strangers.length)
    throw new ApiError(
      "VALIDATION_ERROR",
      "test sends go to team members only",
      strangers.map(({ e, i }) => ({ field: `emails.${i}`, message: `${e} is no team member's address` })),
    );
  const at = now();
  const ids: string[] = [];
  for (const email of emails) {
    const who = input.contact ?? { ...SAMPLE_CONTACT, id: "test", email };
    const out = await renderTemplate(
      await withSnippets(tenant, template),
      previewContext(who, baseUrl, "Test"),
    );
    // Rendered here for the chosen contact: contact data with Liquid in it stays text in the pipeline.
    const { ledgerId } = await createSendOperation(tenant, env.SEND_QUEUE, {
      keyParts: [tenant.orgId, "test-send", template.id, email, at],
      contactId: null,
      payload: {
        to_email: email,
        subject: liquidLiteral(`[Test] ${out.subject}`),
        html: liquidLiteral(out.html),
        ...(out.text ? { text: liquidLiteral(out.text) } : {}),
        transactional: true,
        source: { test_send: template.id },
      },
    });
    ids.push(messageIdFor(ledgerId));
  }
  return { message_ids: ids };
}
