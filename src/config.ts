import { z } from "zod";

const configSchema = z.object({
  ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters"),
  ENCRYPTION_KEY: z
    .string()
    .min(32, "ENCRYPTION_KEY must be at least 32 characters (32 random bytes, base64)"),
  PUBLIC_BASE_URL: z.url().default("http://localhost:8787"),
  SES_ENDPOINT: z.string().optional().default(""),
  BREVO_API_BASE: z.string().optional().default(""),
});

export type Config = z.infer<typeof configSchema>;

const cache = new WeakMap<object, Config>();

/** Validate the Worker's string vars and secrets once per env object. Throws with the variable's name. */
export function configOf(env: Env): Config {
  let config = cache.get(env);
  if (!config) {
    const parsed = configSchema.safeParse(env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Worker configuration is invalid: ${issues}`);
    }
    config = { ...parsed.data, PUBLIC_BASE_URL: parsed.data.PUBLIC_BASE_URL.replace(/\/+$/, "") };
    cache.set(env, config);
  }
  return config;
}
