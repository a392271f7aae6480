import { finishedStatement } from "../src/services/campaigns/resolve";
import { tenantFor } from "../src/db/route";
import { deadLetter } from "../src/services/ledger/settle";
import { now } from "../src/lib/clock";
import {
  isScenarioSend,
  type NotifySequence,
  notifySequence,
  outcomeFor,
} from "../src/services/sending/notify";
import { SendMessage } from "../src/contracts/queue-messages";

/**
 * SEND dead-letter consumer: a message that exhausted its retries marks its ledger row failed
 * ("dead-lettered after N attempts") and tells the SequenceDO, so nothing is silently dropped.
 * A row that already ended (executed, skipped, failed) is left as it is.
 */
export function createSendDlqConsumer(notify: NotifySequence = notifySequence) {
  return async function consumeSendDlq(
    batch: MessageBatch<unknown>,
    env: Env,
    _ctx?: ExecutionContext,
  ): Promise<void> {
    for (const message of batch.messages) {
      const body = SendMessage.safeParse(message.body);
      if (!body.success) {
        console.error(`SEND DLQ: invalid message ${message.id} acked: ${body.error.message}`);
        message.ack();
        continue;
      }
      const tenant = await tenantFor(env, body.data.organization_id);
      try {
        const at = now();
        const row = await deadLetter(tenant, body.data.ledger_id, at);
        if (row) console.error(`SEND DLQ: ledger ${row.id} ${row.reason}`);
        if (row?.campaignId) await finishedStatement(tenant, row.campaignId, 1, at).run();
        if (row && isScenarioSend(row)) {
          await notify(env, row, outcomeFor(row, "failed", at, { reason: row.reason ?? "dead-lettered" }));
        }
        message.ack();
      } catch (e) {
        console.error(
          `SEND DLQ: could not record ledger ${body.data.ledger_id}`,
          e instanceof Error ? e.message : e,
        );
        message.retry({ delaySeconds: 60 });
      }
    }
  };
}

export const consumeSendDlq = createSendDlqConsumer();
