import type { EmailProvider } from "./types";

/**
 * The local default: sends nothing. The SEND consumer stores the message (raw MIME included) like
 * any other, so `npm start` shows the whole pipeline without a provider account. Its external id is
 * our own message id, so (provider, external_id) stays unique.
 */
export function createLogProvider(): EmailProvider {
  return {
    name: "log",
    async send(email) {
      console.log(`[log provider] stored ${email.messageId} (nothing sent)`);
      return { ok: true, externalId: email.messageId };
    },
  };
}
