import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { validationError } from "../../lib/errors";
import {
  MissingSecretError,
  providerSettingsView,
  putProviderSettings,
} from "../../services/settings/provider-accounts";
import type { Tenant } from "../../lib/tenant";
import { registerSettings } from "./helper";

const TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** Printable ASCII without spaces: secrets end up in HTTP headers (api-key) or a signing key. */
const secret = (min: number) =>
  z
    .string()
    .min(min)
    .max(512)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
const sendRate = z
  .number()
  .positive()
  .max(10_000)
  .openapi({ description: "Sends per second allowed on this account" });

const SesInput = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region such as eu-west-1"),
    access_key_id: z.string().regex(/^[A-Z0-9]{16,128}$/, "must be an AWS access key id"),
    secret_access_key: secret(16)
      .optional()
      .openapi({ description: "Required the first time; omitted keeps the stored secret" }),
    configuration_set: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .nullable()
      .optional(),
    topic_arns: z.array(z.string().regex(TOPIC_ARN, "must be an SNS topic ARN")).max(20).optional(),
    max_send_rate: sendRate.optional().openapi({ description: "Default 14 (a new SES account's rate)" }),
  })
  .openapi("SesSettingsInput");

const BrevoInput = z
  .object({
    api_key: secret(10)
      .optional()
      .openapi({ description: "Required the first time; omitted keeps the stored key" }),
    max_send_rate: sendRate.optional(),
  })
  .openapi("BrevoSettingsInput");

export const ProvidersInput = z
  .object({ ses: SesInput.nullable().optional(), brevo: BrevoInput.nullable().optional() })
  .openapi("ProviderSettingsInput");

const ProviderSettings = z
  .object({
    log: z.object({ configured: z.literal(true) }),
    ses: z.object({
      configured: z.boolean(),
      region: z.string().nullable(),
      configuration_set: z.string().nullable(),
      topic_arns: z.array(z.string()),
      max_send_rate: z.number(),
    }),
    brevo: z.object({ configured: z.boolean(), max_send_rate: z.number() }),
  })
  .openapi("ProviderSettings");

/** Save the providers; a provider configured without its secret is a 422 on that field (API and web UI). */
export async function saveProviders(
  tenant: Tenant,
  encryptionKey: string,
  input: z.infer<typeof ProvidersInput>,
) {
  try {
    await putProviderSettings(tenant, encryptionKey, input);
  } catch (e) {
    if (e instanceof MissingSecretError)
      throw validationError(e.field, "is required to configure this provider");
    throw e;
  }
  return providerSettingsView(tenant);
}

export const registerProviderSettings = (app: App) =>
  registerSettings(app, {
    name: "providers",
    id: "Provider",
    title:
      "Email providers: SES and Brevo (null removes one); secrets are stored encrypted and never returned",
    schema: ProviderSettings,
    input: ProvidersInput,
    get: providerSettingsView,
    put: (tenant, input, env) => saveProviders(tenant, configOf(env).ENCRYPTION_KEY, input),
  });
