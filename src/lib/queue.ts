/** A queue's sendBatch takes at most 100 messages and 256 KB: split by both (with room to spare). */
const MAX_MESSAGES = 100;
const MAX_BYTES = 200_000;

export async function sendAll<T>(queue: Queue<T>, messages: MessageSendRequest<T>[]): Promise<void> {
  let batch: MessageSendRequest<T>[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = JSON.stringify(m.body).length + 100;
    if (batch.length && (batch.length >= MAX_MESSAGES || bytes + size > MAX_BYTES)) {
      await queue.sendBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length) await queue.sendBatch(batch);
}
