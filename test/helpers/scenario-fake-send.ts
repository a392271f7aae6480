import { env } from "cloudflare:workers";
import { SendMessage } from "../../queues/messages";
import { now } from "../../src/lib/clock";
import { seqStub, type Queues } from "./scenario";

/**
 * FAKE SEND CONSUMER for the 2,000-contact end-to-end test only. It plays the SEND consumer's
 * contract toward the scenario engine (claim pending -> sending with one conditional UPDATE, mark
 * executed, count the variant, stamp last_sent_at, call SequenceDO.onSendResult) without rendering
 * or calling a provider, because the real consumer (queues/send.ts) costs ~12 ms per message
 * under miniflare: 2,000 of them would add ~25 s to the suite. Every other scenario test drives
 * the real consumer (helpers/scenario.ts drainSend); to run this one against it too, replace
 * drainFakeSend with drainSend.
 */
export async function drainFakeSend(
  q: Queues,
  bodies?: unknown[],
  concurrency = 25,
): Promise<{ claimed: number; ignored: number }> {
  const msgs = bodies ?? q.send.take().map((m) => m.body);
  let claimed = 0;
  let ignored = 0;
  for (let i = 0; i < msgs.length; i += concurrency) {
    await Promise.all(
      msgs.slice(i, i + concurrency).map(async (raw) => {
        const body = SendMessage.parse(raw);
        const at = now();
        const id = body.ledger_id;
        // One batch (a transaction): the claim, then each write only if the previous one wrote
        // (changes() = 1), so a redelivered message whose row is already claimed writes nothing.
        const [claim] = await env.DB.batch([
          env.DB.prepare(
            `UPDATE operation_ledger SET status = 'sending', attempts = attempts + 1, lease_until = ?3, updated_at = ?4
             WHERE organization_id = ?1 AND id = ?2 AND status = 'pending'
             RETURNING id, scenario_id, contact_id, step_order, variant_name`,
          ).bind(body.organization_id, id, at + 600_000, at),
          env.DB.prepare(
            "UPDATE operation_ledger SET status = 'executed', lease_until = NULL, updated_at = ?2 WHERE id = ?1 AND status = 'sending' AND changes() = 1",
          ).bind(id, at),
          env.DB.prepare(
            `UPDATE step_variants SET sent = sent + 1 WHERE changes() = 1
               AND name = (SELECT variant_name FROM operation_ledger WHERE id = ?1)
               AND step_id = (SELECT s.id FROM operation_ledger l
                 JOIN contact_sequences cs ON cs.scenario_id = l.scenario_id AND cs.contact_id = l.contact_id
                 JOIN scenario_steps s ON s.scenario_id = l.scenario_id AND s.version = cs.steps_version AND s.step_order = l.step_order
                 WHERE l.id = ?1)`,
          ).bind(id),
          env.DB.prepare(
            "UPDATE contacts SET last_sent_at = ?2 WHERE changes() = 1 AND id = (SELECT contact_id FROM operation_ledger WHERE id = ?1)",
          ).bind(id, at),
          env.DB.prepare(
            `INSERT INTO messages (id, organization_id, contact_id, scenario_id, step_order, variant_name, ledger_id, provider, status, sent_at, created_at, updated_at)
             SELECT 'msg_' || id, organization_id, contact_id, scenario_id, step_order, variant_name, id, 'fake', 'sent', ?2, ?2, ?2
             FROM operation_ledger WHERE id = ?1 AND changes() = 1`,
          ).bind(id, at),
        ]);
        const row = claim?.results[0] as
          | { id: string; scenario_id: string; contact_id: string; step_order: number; variant_name: string }
          | undefined;
        if (!row) {
          ignored++;
          return;
        }
        claimed++;
        await seqStub(row.scenario_id, row.contact_id).onSendResult({
          ledger_id: row.id,
          step_order: row.step_order,
          status: "executed",
          at,
        });
      }),
    );
  }
  return { claimed, ignored };
}
