import { settingsSection } from "../organizations/store";

/** Consent rules of an organization (GET|PUT /api/v1/settings/consent). */
export interface ConsentSettings {
  /** Marketing mail only to contacts with granted email_marketing consent (else INSUFFICIENT_CONSENT). */
  require_email_consent: boolean;
  /** send_sms only to contacts with granted sms_marketing consent. */
  require_sms_consent: boolean;
  /** Sign-up forms confirm by email before consent is granted (a form may override it). */
  double_opt_in: boolean;
  /** Contacts whose confirmation stays pending this long are removed. */
  pending_expiry_days: number;
}

export const DEFAULT_CONSENT: ConsentSettings = {
  require_email_consent: false,
  require_sms_consent: false,
  double_opt_in: true,
  pending_expiry_days: 30,
};
const section = settingsSection("consent", DEFAULT_CONSENT);
export const getConsentSettings = section.get;
export const putConsentSettings = section.put;
export const consentFrom = section.from;

/** Whether a contact's current consents (contacts.consents JSON) grant this type. */
export const hasConsent = (consents: Record<string, unknown>, type: string) => consents[type] === "granted";
