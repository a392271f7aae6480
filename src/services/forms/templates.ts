import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations/store";
import { createTemplate, type TemplateInput } from "../templates/store";

/**
 * The double opt-in confirmation emails: ordinary templates created with the organization (so they
 * can be edited like any other), one per language. `{{ confirm_url }}` is the /c/ link.
 */
export const CONFIRMATION_TEMPLATES: Record<"en" | "fr", TemplateInput> = {
  en: {
    name: "Double opt-in confirmation (English)",
    subject: "Please confirm your subscription",
    html:
      "<p>Hello{% if first_name %} {{ first_name }}{% endif %},</p>" +
      "<p>Please confirm that you want to receive our emails:</p>" +
      '<p><a href="{{ confirm_url }}">Confirm my subscription</a></p>' +
      "<p>If you did not ask for this, ignore this email: nothing will be sent to you.</p>",
    text: "Hello{% if first_name %} {{ first_name }}{% endif %},\n\nPlease confirm that you want to receive our emails:\n{{ confirm_url }}\n\nIf you did not ask for this, ignore this email: nothing will be sent to you.",
  },
  fr: {
    name: "Confirmation d'inscription (français)",
    subject: "Confirmez votre inscription",
    html:
      "<p>Bonjour{% if first_name %} {{ first_name }}{% endif %},</p>" +
      "<p>Merci de confirmer que vous souhaitez recevoir nos e-mails :</p>" +
      '<p><a href="{{ confirm_url }}">Je confirme mon inscription</a></p>' +
      "<p>Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne vous sera envoyé.</p>",
    text: "Bonjour{% if first_name %} {{ first_name }}{% endif %},\n\nMerci de confirmer que vous souhaitez recevoir nos e-mails :\n{{ confirm_url }}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne vous sera envoyé.",
  },
};

const KEY = "confirmation_templates";

/** The organization's confirmation template per language (created with it). */
export const confirmationTemplates = (tenant: Tenant) =>
  getSettings<{ en?: string; fr?: string }>(tenant, KEY, {});

/** A new organization's double opt-in confirmation templates (English and French). */
export async function seedConfirmationTemplates(tenant: Tenant) {
  const en = await createTemplate(tenant, CONFIRMATION_TEMPLATES.en);
  const fr = await createTemplate(tenant, CONFIRMATION_TEMPLATES.fr);
  await putSettings(tenant, KEY, { en: en.id, fr: fr.id });
}
