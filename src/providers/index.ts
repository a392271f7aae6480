import type { ResolvedAccount } from "../services/settings/provider-accounts";
import { createBrevoProvider } from "./brevo";
import { createLogProvider } from "./log";
import { createSesProvider } from "./ses";
import type { EmailProvider } from "./types";

export type { EmailProvider, OutboundEmail, ProviderName, SendResult } from "./types";

/** Base-URL overrides from the Worker's vars (local emulators, tests). */
export interface ProviderEndpoints {
  sesEndpoint?: string;
  brevoApiBase?: string;
}

/** The provider client for a resolved account, or the log provider. */
export function providerFor(
  account: ResolvedAccount | null,
  endpoints: ProviderEndpoints = {},
): EmailProvider {
  if (account?.provider === "ses")
    return createSesProvider(account.account, { endpoint: endpoints.sesEndpoint });
  if (account?.provider === "brevo")
    return createBrevoProvider(account.account, { baseUrl: endpoints.brevoApiBase });
  return createLogProvider();
}
