// A local HTTP server that answers like Amazon SES v2 SendEmail: POST /v2/email/outbound-emails ->
// 200 {"MessageId": "..."}. It counts the calls and keeps their arrival times, for the send pipeline
// bench. GET /__stats answers { count, first, last, times }; POST /__reset clears. Loopback only.
// Usage: node bench/harness/ses-server.mjs <port>
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 18790);
const MAX_TIMES = 1_000_000;
let times = [];

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method === "POST" && req.url?.startsWith("/v2/email/outbound-emails")) {
      if (times.length < MAX_TIMES) times.push(Date.now());
      const body = JSON.stringify({ MessageId: `0100${randomUUID()}-000000` });
      res.writeHead(200, {
        "Content-Type": "application/json",
        "x-amzn-RequestId": randomUUID(),
        "Content-Length": Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    if (req.method === "GET" && req.url === "/__stats") {
      const body = JSON.stringify({
        count: times.length,
        first: times[0] ?? null,
        last: times.at(-1) ?? null,
        times,
      });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(body);
      return;
    }
    if (req.method === "POST" && req.url === "/__reset") {
      times = [];
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ message: "not found" }));
  });
});
server.keepAliveTimeout = 30_000;
server.on("error", (e) => {
  console.error(`ses-server: ${e.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => console.log(`ses-server listening on 127.0.0.1:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
