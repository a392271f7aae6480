// Baseline queue consumer for the send pipeline bench: POST /enqueue?n=N puts N messages on its own
// queue; the consumer only forwards each message to the same local SES-like server (POST
// /v2/email/outbound-emails) and acks it. The floor for the platform's ENROLL -> provider path.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/enqueue") {
      const n = Math.max(0, Math.min(1_000_000, Number(url.searchParams.get("n") ?? 0)));
      for (let i = 0; i < n; i += 100) {
        await env.BASELINE_QUEUE.sendBatch(
          Array.from({ length: Math.min(100, n - i) }, (_, j) => ({
            body: { i: i + j, to: `reader${i + j}@example.com` },
          })),
        );
      }
      return Response.json({ enqueued: n });
    }
    return new Response("ok");
  },
  async queue(batch, env) {
    await Promise.all(
      batch.messages.map(async (m) => {
        const res = await fetch(`${env.SES_ENDPOINT}/v2/email/outbound-emails`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            FromEmailAddress: "news@sender.example",
            Destination: { ToAddresses: [m.body.to] },
            Content: { Raw: { Data: "" } },
          }),
        });
        await res.arrayBuffer();
        if (res.ok) m.ack();
        else m.retry();
      }),
    );
  },
};
