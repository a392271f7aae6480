import { exports } from "cloudflare:workers";

/** A stand-in for Email Routing's ForwardableEmailMessage: records forwards and rejections. */
export function inbound(raw: string, to: string, from = "jean.dupont@client.example") {
  const bytes = new TextEncoder().encode(raw);
  const seen = { forwarded: [] as string[], rejected: null as string | null };
  const message = {
    from,
    to,
    raw: new Response(bytes).body as ReadableStream<Uint8Array>,
    rawSize: bytes.length,
    headers: new Headers(),
    setReject: (reason: string) => {
      seen.rejected = reason;
    },
    forward: async (rcpt: string) => {
      seen.forwarded.push(rcpt);
      return { messageId: "fwd" } as unknown as EmailSendResult;
    },
    reply: async () => ({ messageId: "r" }) as unknown as EmailSendResult,
  } as unknown as ForwardableEmailMessage;
  return { message, seen };
}

/** The Worker's email() handler, as Email Routing calls it. */
export const receive = (m: ForwardableEmailMessage) =>
  (exports.default as unknown as { email: (m: ForwardableEmailMessage) => Promise<void> }).email(m);
