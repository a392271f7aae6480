import { eq } from "drizzle-orm";
import { providerAccounts } from "../../db/schema";
import { now } from "../../lib/clock";
import { decryptSecret, encryptSecret } from "../../lib/crypto";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import type { BrevoAccount } from "../../providers/brevo";
import type { SesAccount } from "../../providers/ses";

/** Sends per second a provider account starts with (SES sandbox and new accounts: 14/s). */
export const DEFAULT_SEND_RATE = { ses: 14, brevo: 10 } as const;

/**
 * provider_accounts.config JSON (public part; the secret is in secret_ciphertext, AES-GCM under
 * ENCRYPTION_KEY). The SES webhook reads `topic_arns` from here to check an SNS TopicArn.
 */
export interface SesConfig {
  region: string;
  access_key_id: string;
  configuration_set: string | null;
  topic_arns: string[];
  max_send_rate: number;
}
export interface BrevoConfig {
  max_send_rate: number;
}

export interface ProvidersInput {
  ses?: {
    region: string;
    access_key_id: string;
    /** Optional when SES is already configured: the stored secret is kept. */
    secret_access_key?: string;
    configuration_set?: string | null;
    topic_arns?: string[];
    max_send_rate?: number;
  } | null;
  brevo?: { api_key?: string; max_send_rate?: number } | null;
}

export type ResolvedAccount =
  | { provider: "ses"; account: SesAccount; maxSendRate: number }
  | { provider: "brevo"; account: BrevoAccount; maxSendRate: number };

/** Thrown by putProviderSettings when a secret is missing for an account that has none yet. */
export class MissingSecretError extends Error {
  constructor(readonly field: string) {
    super(`${field} is required to configure this provider`);
  }
}

async function rows(tenant: Tenant) {
  return tenant.db.select().from(providerAccounts).where(scoped(tenant, providerAccounts)).all();
}

/** What the API shows: which providers are set and their public settings, never a secret or key id. */
export async function providerSettingsView(tenant: Tenant) {
  const all = await rows(tenant);
  const ses = all.find((r) => r.provider === "ses");
  const brevo = all.find((r) => r.provider === "brevo");
  const sesConfig = ses ? parseJson<Partial<SesConfig>>(ses.config, {}) : null;
  const brevoConfig = brevo ? parseJson<Partial<BrevoConfig>>(brevo.config, {}) : null;
  return {
    log: { configured: true as const },
    ses: sesConfig
      ? {
          configured: true,
          region: sesConfig.region ?? null,
          configuration_set: sesConfig.configuration_set ?? null,
          topic_arns: sesConfig.topic_arns ?? [],
          max_send_rate: sesConfig.max_send_rate ?? DEFAULT_SEND_RATE.ses,
        }
      : {
          configured: false,
          region: null,
          configuration_set: null,
          topic_arns: [],
          max_send_rate: DEFAULT_SEND_RATE.ses,
        },
    brevo: {
      configured: !!brevoConfig,
      max_send_rate: brevoConfig?.max_send_rate ?? DEFAULT_SEND_RATE.brevo,
    },
  };
}

/**
 * Set (or with `null`, remove) the organization's SES and Brevo accounts. A provider left out is
 * untouched. Secrets are encrypted before they reach D1; a missing secret keeps the stored one.
 */
export async function putProviderSettings(tenant: Tenant, encryptionKey: string, input: ProvidersInput) {
  const existing = await rows(tenant);
  const at = now();
  const writes = [];
  for (const provider of ["ses", "brevo"] as const) {
    const value = input[provider];
    if (value === undefined) continue;
    const where = scoped(tenant, providerAccounts, eq(providerAccounts.provider, provider));
    if (value === null) {
      writes.push(tenant.db.delete(providerAccounts).where(where));
      continue;
    }
    const secret = provider === "ses" ? input.ses?.secret_access_key : input.brevo?.api_key;
    const kept = existing.find((r) => r.provider === provider)?.secretCiphertext ?? null;
    if (!secret && !kept)
      throw new MissingSecretError(provider === "ses" ? "ses.secret_access_key" : "brevo.api_key");
    const secretCiphertext = secret ? await encryptSecret(encryptionKey, secret) : kept;
    const config: SesConfig | BrevoConfig =
      provider === "ses" && input.ses
        ? {
            region: input.ses.region,
            access_key_id: input.ses.access_key_id,
            configuration_set: input.ses.configuration_set ?? null,
            topic_arns: [...new Set(input.ses.topic_arns ?? [])],
            max_send_rate: input.ses.max_send_rate ?? DEFAULT_SEND_RATE.ses,
          }
        : { max_send_rate: input.brevo?.max_send_rate ?? DEFAULT_SEND_RATE.brevo };
    const values = {
      organizationId: tenant.orgId,
      provider,
      config: JSON.stringify(config),
      secretCiphertext,
      updatedAt: at,
    };
    writes.push(
      tenant.db
        .insert(providerAccounts)
        .values(values)
        .onConflictDoUpdate({
          target: [providerAccounts.organizationId, providerAccounts.provider],
          set: { config: values.config, secretCiphertext, updatedAt: at },
        }),
    );
  }
  const [first, ...rest] = writes;
  if (first) await tenant.db.batch([first, ...rest]);
}

/**
 * The decrypted account the SEND consumer calls a provider with; null when the organization has not
 * configured it. Throws when the secret cannot be decrypted (ENCRYPTION_KEY changed).
 */
export async function resolveProviderAccount(
  tenant: Tenant,
  encryptionKey: string,
  provider: "ses" | "brevo",
): Promise<ResolvedAccount | null> {
  const row = await tenant.db
    .select()
    .from(providerAccounts)
    .where(scoped(tenant, providerAccounts, eq(providerAccounts.provider, provider)))
    .get();
  if (!row?.secretCiphertext) return null;
  const secret = await decryptSecret(encryptionKey, row.secretCiphertext);
  if (provider === "ses") {
    const c = parseJson<Partial<SesConfig>>(row.config, {});
    if (!c.region || !c.access_key_id) return null;
    return {
      provider,
      account: {
        region: c.region,
        accessKeyId: c.access_key_id,
        secretAccessKey: secret,
        configurationSet: c.configuration_set,
      },
      maxSendRate: c.max_send_rate ?? DEFAULT_SEND_RATE.ses,
    };
  }
  const c = parseJson<Partial<BrevoConfig>>(row.config, {});
  return { provider, account: { apiKey: secret }, maxSendRate: c.max_send_rate ?? DEFAULT_SEND_RATE.brevo };
}

/** The SNS topics an organization accepts SES events from (the SES webhook checks TopicArn against these). */
export async function sesTopicArns(tenant: Tenant): Promise<string[]> {
  const row = await tenant.db
    .select({ config: providerAccounts.config })
    .from(providerAccounts)
    .where(scoped(tenant, providerAccounts, eq(providerAccounts.provider, "ses")))
    .get();
  const arns: unknown = parseJson<{ topic_arns?: unknown }>(row?.config, {}).topic_arns;
  return Array.isArray(arns) ? arns.filter((a): a is string => typeof a === "string") : [];
}

/** The providers that have an account (GET /settings says which; never their secrets). */
export async function configuredProviders(tenant: Tenant): Promise<Set<string>> {
  const rows = await tenant.db
    .select({ provider: providerAccounts.provider })
    .from(providerAccounts)
    .where(scoped(tenant, providerAccounts))
    .all();
  return new Set(rows.map((r) => r.provider));
}
