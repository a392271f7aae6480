/**
 * A sign-up form posted (POST /f/:token) and its double opt-in confirmation (POST /c/:token). The
 * answer to a post is the same whether the address is new or known, so a form never tells who is
 * already a contact.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { configOf } from "../../config";
import { contacts, suppressions } from "../../db/schema";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import { nameField, phoneField } from "../../contracts/contact";
import { emailField } from "../../lib/validation";
import { consentStatements, consentsView } from "../consent/store";
import { getConsentSettings } from "../consent/settings";
import { afterContactCreated } from "../contacts/changes";
import { findContactByEmail, getContact } from "../contacts/store";
import { storeEvent } from "../events/ingest/store";
import { SOURCES } from "../events/normalize/row";
import { createSendOperation } from "../ledger/create";
import { insertMembers } from "../segments/store";
import { signConfirm } from "../tracking/tokens";
import type { FormField, FormRow } from "./store";
import { confirmationTemplates } from "./templates";
import { emailHash } from "../suppressions/store";
import type { ContactRow } from "../contacts/types";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const noControl = /^[^\u0000-\u001f\u007f]*$/;

/** What a form accepts: its declared fields, each validated by the contact schema, and nothing else. */
export function submissionSchema(fields: FormField[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    let s: z.ZodType;
    if (f.name === "email") s = emailField;
    else if (f.name === "first_name" || f.name === "last_name") s = nameField.trim();
    else if (f.name === "phone") s = phoneField.trim();
    else
      s = z
        .string()
        .trim()
        .max(f.type === "textarea" ? 5000 : 500)
        .regex(
          f.type === "textarea" ? /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/ : noControl,
          "must not contain control characters",
        );
    shape[f.name] = f.required ? (s as z.ZodString).min(1, "is required") : s.optional();
  }
  return z.object(shape);
}

export interface Submission {
  values: Record<string, string>;
  ip: string | null;
  userAgent: string | null;
}

/** Whether this form confirms by email (its own setting, else the organization's). */
const usesDoubleOptIn = async (tenant: Tenant, form: FormRow) =>
  form.doubleOptIn ?? (await getConsentSettings(tenant)).double_opt_in;

export async function submitForm(env: Env, tenant: Tenant, form: FormRow, s: Submission): Promise<void> {
  const fields = parseJson<FormField[]>(form.fields, []);
  const values = s.values;
  const email = values.email as string;
  const doi = await usesDoubleOptIn(tenant, form);
  const at = now();
  const attrs = Object.fromEntries(
    fields
      .filter((f) => !["email", "first_name", "last_name", "phone"].includes(f.name) && values[f.name])
      .map((f) => [f.name, values[f.name]]),
  );
  const tags = parseJson<string[]>(form.tags, []);
  let contact = await findContactByEmail(tenant, email);
  const created = !contact;
  if (!contact) {
    const id = newId("ct", at);
    await tenant.db.insert(contacts).values({
      id,
      organizationId: tenant.orgId,
      email: email.trim(),
      emailNormalized: email.trim().toLowerCase(),
      firstName: values.first_name || null,
      lastName: values.last_name || null,
      phone: values.phone || null,
      tags: JSON.stringify(tags),
      attributes: JSON.stringify(attrs),
      // Until the confirmation, a double opt-in sign-up receives nothing but that email.
      status: doi ? "unsubscribed" : "subscribed",
      createdAt: at,
      updatedAt: at,
    });
    contact = await getContact(tenant, id);
  } else {
    const set: Partial<typeof contacts.$inferInsert> = { updatedAt: at };
    if (values.first_name) set.firstName = values.first_name;
    if (values.last_name) set.lastName = values.last_name;
    if (values.phone) set.phone = values.phone;
    if (Object.keys(attrs).length)
      set.attributes = JSON.stringify({ ...parseJson(contact.attributes, {}), ...attrs });
    if (!doi && tags.length)
      set.tags = JSON.stringify([...new Set([...parseJson<string[]>(contact.tags, []), ...tags])]);
    await tenant.db
      .update(contacts)
      .set(set)
      .where(scoped(tenant, contacts, eq(contacts.id, contact.id)));
  }
  const current = consentsView(contact).email_marketing;
  const meta = { source: `form:${form.id}`, ip: s.ip, user_agent: s.userAgent };
  if (!doi) {
    if (current !== "granted") {
      const { statements } = await consentStatements(tenant, contact, {
        type: "email_marketing",
        state: "granted",
        ...meta,
      });
      await tenant.db.batch(statements);
    }
    if (form.segmentId) await insertMembers(tenant, form.segmentId, [contact.id]);
    await formSubmitted(
      env,
      tenant,
      form,
      contact.id,
      `form:${form.id}:${contact.id}:${Math.floor(at / HOUR)}`,
    );
    if (created) await afterContactCreated(env, tenant, await getContact(tenant, contact.id));
    return;
  }
  if (current === "granted") return; // already confirmed: nothing to ask again
  if (current !== "pending") {
    const { statements } = await consentStatements(tenant, contact, {
      type: "email_marketing",
      state: "pending",
      ...meta,
    });
    await tenant.db.batch(statements);
  }
  await sendConfirmation(env, tenant, form, contact);
}

/** One confirmation email per address an hour, through the SEND pipeline (transactional). */
async function sendConfirmation(env: Env, tenant: Tenant, form: FormRow, contact: ContactRow) {
  const config = configOf(env);
  const settings = await getConsentSettings(tenant);
  const at = now();
  const token = await signConfirm(config.ENCRYPTION_KEY, {
    o: tenant.orgId,
    c: contact.id,
    f: form.id,
    exp: at + settings.pending_expiry_days * DAY,
  });
  const lang = form.language === "fr" ? "fr" : "en";
  const templateId = form.confirmationTemplateId ?? (await confirmationTemplates(tenant))[lang] ?? null;
  await createSendOperation(tenant, env.SEND_QUEUE, {
    keyParts: [tenant.orgId, "double-opt-in", contact.id, Math.floor(at / HOUR)],
    contactId: contact.id,
    templateId,
    payload: {
      transactional: true,
      opt_in_confirmation: true,
      variables: { confirm_url: `${config.PUBLIC_BASE_URL}/c/${token}` },
      source: { form_id: form.id },
      // Without the organization's template (deleted), a plain fallback.
      ...(templateId
        ? {}
        : {
            subject: "Please confirm your subscription",
            html: '<p><a href="{{ confirm_url }}">Confirm</a></p>',
          }),
    },
  });
}

/** form_submit for the rules engine and scoring (a behaviour event through EVENTS). */
async function formSubmitted(env: Env, tenant: Tenant, form: FormRow, contactId: string, dedup: string) {
  await storeEvent(tenant, env.EVENTS_QUEUE, {
    source: SOURCES.behaviour,
    dedupKey: `api:${dedup}`,
    type: "form_submit",
    contactId,
    raw: { type: "form_submit", properties: { form_id: form.id, form_name: form.name } },
  });
}

/**
 * POST /c/:token: grant the consent (double opt-in, with address and browser), subscribe the
 * contact, add the form's tags and segment, fire form_submit. A replay changes nothing: the
 * consent is already granted. Answers false when the contact is gone.
 */
export async function confirmSubscription(
  env: Env,
  tenant: Tenant,
  form: FormRow | null,
  contactId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<boolean> {
  const contact = await getContact(tenant, contactId).catch(() => null);
  if (!contact) return false;
  if (consentsView(contact).email_marketing === "granted") return true;
  const at = now();
  const { statements } = await consentStatements(tenant, contact, {
    type: "email_marketing",
    state: "granted",
    source: form ? `form:${form.id}` : "confirmation",
    ip: meta.ip,
    user_agent: meta.userAgent,
    double_opt_in: true,
  });
  const tags = form ? parseJson<string[]>(form.tags, []) : [];
  const { db } = tenant;
  await db.batch([
    ...statements,
    db
      .update(contacts)
      .set({
        status: "subscribed",
        tags: JSON.stringify([...new Set([...parseJson<string[]>(contact.tags, []), ...tags])]),
        updatedAt: at,
      })
      .where(
        scoped(
          tenant,
          contacts,
          eq(contacts.id, contact.id),
          inArray(contacts.status, ["subscribed", "unsubscribed"]),
        ),
      ),
    // An explicit, confirmed opt-in lifts an earlier unsubscribe (never a bounce or a complaint).
    db
      .delete(suppressions)
      .where(
        and(
          scoped(tenant, suppressions, eq(suppressions.emailHash, await emailHash(contact.email))),
          inArray(suppressions.reason, ["unsubscribed", "erased"]),
        ),
      ),
  ]);
  if (form?.segmentId) await insertMembers(tenant, form.segmentId, [contact.id]).catch(() => undefined);
  await formSubmitted(
    env,
    tenant,
    form ?? ({ id: "confirmation", name: "confirmation" } as FormRow),
    contact.id,
    `confirm:${contact.id}:${form?.id ?? ""}`,
  );
  await afterContactCreated(env, tenant, await getContact(tenant, contact.id));
  return true;
}
