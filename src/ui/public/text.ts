/** The public pages' words, in English and French. */
export const PUBLIC_TEXT = {
  en: {
    confirmTitle: "Confirm your subscription",
    confirmBody: "Please confirm that you want to receive our emails.",
    confirmButton: "Confirm my subscription",
    confirmedTitle: "Thank you",
    confirmedBody: "Your subscription is confirmed.",
    invalidTitle: "This link is not valid",
    invalidBody: "It may have expired, or been copied incompletely.",
    prefsTitle: "Your email preferences",
    prefsIntro: "Choose what you agree to receive from us.",
    prefsSave: "Save my preferences",
    prefsAll: "Unsubscribe from everything",
    prefsSaved: "Your preferences are saved.",
    unsubscribedAll: "You are unsubscribed from everything. You will not receive our emails any more.",
    thanksTitle: "Thank you",
    thanksBody: "Check your inbox: we sent you a link to confirm your subscription.",
    types: {
      email_marketing: "News and offers by email",
      sms_marketing: "News and offers by SMS",
      phone_marketing: "Calls about our offers",
      profiling: "Personalised content based on how I use your emails",
      third_party_sharing: "Sharing my details with partners",
    },
  },
  fr: {
    confirmTitle: "Confirmez votre inscription",
    confirmBody: "Merci de confirmer que vous souhaitez recevoir nos e-mails.",
    confirmButton: "Je confirme mon inscription",
    confirmedTitle: "Merci",
    confirmedBody: "Votre inscription est confirmée.",
    invalidTitle: "Ce lien n'est pas valide",
    invalidBody: "Il a peut-être expiré, ou a été copié de façon incomplète.",
    prefsTitle: "Vos préférences e-mail",
    prefsIntro: "Choisissez ce que vous acceptez de recevoir de notre part.",
    prefsSave: "Enregistrer mes préférences",
    prefsAll: "Me désabonner de tout",
    prefsSaved: "Vos préférences sont enregistrées.",
    unsubscribedAll: "Vous êtes désabonné de tout. Vous ne recevrez plus nos e-mails.",
    thanksTitle: "Merci",
    thanksBody:
      "Consultez votre boîte de réception : nous vous avons envoyé un lien pour confirmer votre inscription.",
    types: {
      email_marketing: "Actualités et offres par e-mail",
      sms_marketing: "Actualités et offres par SMS",
      phone_marketing: "Appels au sujet de nos offres",
      profiling: "Contenus personnalisés selon mon usage de vos e-mails",
      third_party_sharing: "Partage de mes coordonnées avec des partenaires",
    },
  },
} as const;

export type PublicLang = keyof typeof PUBLIC_TEXT;

/** French when the browser prefers it, else English. */
export function langOf(acceptLanguage: string | undefined | null): PublicLang {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("fr") ? "fr" : "en";
}
