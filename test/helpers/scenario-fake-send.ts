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
        const row = await env.DB.prepare(
          `UPDATE operation_ledger SET status = 'sending', attempts = attempts + 1, lease_until = ?3, updated_at = ?4
           WHERE organization_id = ?1 AND id = ?2 AND status = 'pending'
           RETURNING id, scenario_id, contact_id, step_order, variant_name`,
        )
          .bind(body.organization_id, body.ledger_id, at + 600_000, at)
          .first<{
            id: string;
            scenario_id: string;
            contact_id: string;
            step_order: number;
            variant_name: string;
          }>();
        if (!row) {
          ignored++;
          return;
        }
        claimed++;
        await env.DB.batch([
          env.DB.prepare(
            "UPDATE operation_ledger SET status = 'executed', lease_until = NULL, updated_at = ?2 WHERE id = ?1 AND status = 'sending'",
          ).bind(row.id, at),
          env.DB.prepare(
            `UPDATE step_variants SET sent = sent + 1 WHERE name = ?3 AND step_id = (
               SELECT s.id FROM scenario_steps s JOIN contact_sequences cs ON cs.scenario_id = s.scenario_id AND cs.steps_version = s.version
               WHERE s.scenario_id = ?1 AND cs.contact_id = ?2 AND s.step_order = ?4)`,
          ).bind(row.scenario_id, row.contact_id, row.variant_name, row.step_order),
          env.DB.prepare("UPDATE contacts SET last_sent_at = ?2 WHERE id = ?1").bind(row.contact_id, at),
          env.DB.prepare(
            `INSERT INTO messages (id, organization_id, contact_id, scenario_id, step_order, variant_name, ledger_id, provider, status, sent_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'fake', 'sent', ?8, ?8, ?8)`,
          ).bind(
            `msg_${row.id}`,
            body.organization_id,
            row.contact_id,
            row.scenario_id,
            row.step_order,
            row.variant_name,
            row.id,
            at,
          ),
        ]);
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
