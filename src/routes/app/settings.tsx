import type { App } from "../../app-env";
import { configOf } from "../../config";
import type { ErrorDetail } from "../../lib/errors";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys/store";
import { getScoring } from "../../services/events/apply/scoring";
import {
  getReminderSettings,
  putReminderSettings,
  reminderSettingsView,
} from "../../services/inbox/reminder-settings";
import { getOrganization } from "../../services/organizations/store";
import { providerSettingsView } from "../../services/settings/provider-accounts";
import { createUser, listUsers } from "../../services/users/store";
import { Notice, Table } from "../../ui/app/components";
import { Csrf } from "../../ui/app/layout";
import { ApiKeyCreate } from "../api-keys/create";
import { webhookUrls } from "../settings/schema";
import { ProvidersInput, saveProviders } from "../settings/providers";
import { ReminderSettingsPut } from "../settings/reminders";
import { ScoringInput, saveScoring } from "../settings/scoring";
import { UserCreate } from "../users/create";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { Section } from "../../ui/app/settings/section";

const SCORING_FIELDS = [
  "first_open",
  "later_open",
  "first_click",
  "later_click",
  "bounce",
  "reply",
  "weekly_decay",
  "hot_threshold",
] as const;

interface Flash {
  ok?: string;
  errors?: ErrorDetail[];
  /** A new API key: shown on this page once, never again. */
  newKey?: string;
}

async function settingsPage(c: Ctx, flash: Flash = {}) {
  const p = await pageOf(c);
  const { t } = p;
  const tenant = c.get("tenant");
  const [org, providers, scoring, reminders, members, keys] = await Promise.all([
    getOrganization(tenant),
    providerSettingsView(tenant),
    getScoring(tenant),
    getReminderSettings(tenant),
    listUsers(tenant, { limit: 200 }),
    listApiKeys(tenant),
  ]);
  const urls = webhookUrls(configOf(c.env).PUBLIC_BASE_URL, org.webhookToken);
  const rem = reminderSettingsView(reminders);
  return render(
    c,
    t.settings.title,
    <>
      {flash.ok ? <Notice kind="ok">{flash.ok}</Notice> : null}
      {flash.errors?.length ? (
        <Notice kind="error">{flash.errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      {flash.newKey ? (
        <Notice kind="ok">
          API key (shown once): <code id="new-key">{flash.newKey}</code>
        </Notice>
      ) : null}
      <nav class="card" aria-label={t.settings.deliverability}>
        <h2>{t.settings.deliverability}</h2>
        <p class="row">
          <a class="button secondary" href="/app/settings/domains">
            {t.settings.domains}
          </a>
          <a class="button secondary" href="/app/settings/suppressions">
            {t.settings.suppressions}
          </a>
        </p>
      </nav>
      <section class="card">
        <h2>{t.settings.webhooks}</h2>
        <label for="url-ses">SES (SNS)</label>
        <input id="url-ses" readonly value={urls.ses} size={70} />
        <label for="url-brevo">Brevo</label>
        <input id="url-brevo" readonly value={urls.brevo} size={70} />
      </section>
      <Section action="/app/settings/providers" title={t.settings.providers}>
        <p>
          SES:{" "}
          {providers.ses.configured
            ? `${providers.ses.region} · secret ${t.settings.secretHidden}`
            : t.settings.notSet}{" "}
          · Brevo: {providers.brevo.configured ? t.settings.secretHidden : t.settings.notSet}
        </p>
        <div class="grid">
          <div>
            <label for="ses_region">{t.form.sesRegion}</label>
            <input id="ses_region" name="ses_region" value={providers.ses.region ?? ""} />
          </div>
          <div>
            <label for="ses_access_key_id">{t.form.sesAccessKey}</label>
            <input id="ses_access_key_id" name="ses_access_key_id" autocomplete="off" />
          </div>
          <div>
            <label for="ses_secret">{t.form.sesSecret}</label>
            <input id="ses_secret" name="ses_secret_access_key" type="password" autocomplete="new-password" />
          </div>
          <div>
            <label for="brevo_api_key">{t.form.brevoKey}</label>
            <input id="brevo_api_key" name="brevo_api_key" type="password" autocomplete="new-password" />
          </div>
        </div>
      </Section>
      <Section action="/app/settings/scoring" title={t.settings.scoring}>
        <div class="grid">
          {SCORING_FIELDS.map((k) => (
            <div>
              <label for={`sc_${k}`}>{k}</label>
              <input id={`sc_${k}`} name={k} type="number" value={String(scoring[k])} />
            </div>
          ))}
        </div>
      </Section>
      <Section action="/app/settings/reminders" title={t.form.reminders}>
        <label>
          <input type="checkbox" name="email" checked={rem.email} /> {t.form.reminderEmail}
        </label>
        <label for="webhook_url">{t.form.webhookUrl}</label>
        <input id="webhook_url" name="webhook_url" type="url" value={rem.webhook_url ?? ""} size={60} />
      </Section>
      <Section action="/app/settings/members" title={t.settings.members} button={t.common.create}>
        <Table
          head={[t.common.name, t.common.email, "timezone"]}
          empty={t.common.empty}
          rows={members.items.map((u) => [u.name, u.email, u.timezone ?? ""])}
        />
        <div class="grid">
          <div>
            <label for="m_name">{t.common.name}</label>
            <input id="m_name" name="name" required />
          </div>
          <div>
            <label for="m_email">{t.common.email}</label>
            <input id="m_email" name="email" type="email" required />
          </div>
          <div>
            <label for="m_tz">{t.form.timezone}</label>
            <input id="m_tz" name="timezone" placeholder="Europe/Paris" />
          </div>
        </div>
      </Section>
      <section class="card">
        <h2>{t.settings.apiKeys}</h2>
        <Table
          head={[t.common.name, t.form.prefix, t.common.created, ""]}
          empty={t.common.empty}
          rows={keys.map((k) => [
            k.name,
            `${k.prefix}…`,
            k.created_at,
            <form
              method="post"
              action={`/app/settings/api-keys/${encodeURIComponent(k.id)}/revoke`}
              data-confirm={t.form.revokeConfirm}
            >
              <Csrf />
              <button type="submit" class="danger small">
                {t.form.revoke}
              </button>
            </form>,
          ])}
        />
        <form method="post" action="/app/settings/api-keys" class="row">
          <Csrf />
          <div>
            <label for="key_name">{t.common.name}</label>
            <input id="key_name" name="name" required />
          </div>
          <button type="submit">{t.common.create}</button>
        </form>
      </section>
    </>,
    flash.errors?.length ? 422 : 200,
  );
}

/** Settings: webhook URLs to copy, providers (secrets write-only), scoring, reminders, members, API keys. */
export function registerSettingsPage(app: App) {
  app.get("/app/settings", (c) => settingsPage(c));
  const saved = async (c: Ctx) => settingsPage(c, { ok: (await pageOf(c)).t.common.saved });
  /** A settings form's input checked by the API's schema, then saved; any problem comes back on the page. */
  const submit = <T,>(
    c: Ctx,
    parsed: { success: true; data: T } | { success: false; error: Parameters<typeof issuesOf>[0] },
    save: (data: T) => Promise<unknown>,
  ) => {
    if (!parsed.success) return settingsPage(c, { errors: issuesOf(parsed.error) });
    return runForm(
      async () => {
        await save(parsed.data);
        return saved(c);
      },
      (errors) => settingsPage(c, { errors }),
    );
  };
  app.post("/app/settings/providers", async (c) => {
    const f = await formOf(c);
    const input: Record<string, unknown> = {};
    if (field(f, "ses_region") || field(f, "ses_access_key_id"))
      input.ses = {
        region: field(f, "ses_region").trim(),
        access_key_id: field(f, "ses_access_key_id").trim(),
        ...(field(f, "ses_secret_access_key")
          ? { secret_access_key: field(f, "ses_secret_access_key") }
          : {}),
      };
    if (field(f, "brevo_api_key")) input.brevo = { api_key: field(f, "brevo_api_key").trim() };
    return submit(c, ProvidersInput.safeParse(input), (data) =>
      saveProviders(c.get("tenant"), configOf(c.env).ENCRYPTION_KEY, data),
    );
  });
  app.post("/app/settings/scoring", async (c) => {
    const f = await formOf(c);
    const input = Object.fromEntries(
      SCORING_FIELDS.filter((k) => field(f, k) !== "").map((k) => [k, Number(field(f, k))]),
    );
    return submit(c, ScoringInput.safeParse(input), (data) => saveScoring(c.get("tenant"), data));
  });
  app.post("/app/settings/reminders", async (c) => {
    const f = await formOf(c);
    const parsed = ReminderSettingsPut.safeParse({
      email: field(f, "email") === "on",
      webhook_url: field(f, "webhook_url").trim() || null,
    });
    return submit(c, parsed, (data) =>
      putReminderSettings(c.get("tenant"), configOf(c.env).ENCRYPTION_KEY, data),
    );
  });
  app.post("/app/settings/members", async (c) => {
    const f = await formOf(c);
    const parsed = UserCreate.safeParse({
      name: field(f, "name").trim(),
      email: field(f, "email").trim(),
      timezone: field(f, "timezone").trim() || null,
    });
    return submit(c, parsed, (data) => createUser(c.get("tenant"), data));
  });
  app.post("/app/settings/api-keys", async (c) => {
    const parsed = ApiKeyCreate.safeParse({ name: field(await formOf(c), "name").trim() });
    if (!parsed.success) return settingsPage(c, { errors: issuesOf(parsed.error) });
    const created = await createApiKey(c.get("tenant"), parsed.data);
    return settingsPage(c, { newKey: created.api_key });
  });
  app.post("/app/settings/api-keys/:id/revoke", async (c) =>
    runForm(
      async () => {
        await revokeApiKey(c.get("tenant"), c.req.param("id"));
        return saved(c);
      },
      (errors) => settingsPage(c, { errors }),
    ),
  );
}
