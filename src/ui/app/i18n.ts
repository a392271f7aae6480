/**
 * The web UI's words in English and French. The language comes from the `lang` cookie (the switch
 * in the header), else Accept-Language; dates are shown in the member's timezone.
 */
import { en } from "./i18n-en";
import { fr } from "./i18n-fr";

export type { Text } from "./i18n-en";

export type Lang = "en" | "fr";

export const TEXT = { en, fr } as const;

/** The cookie's choice, else the first of Accept-Language that we speak, else English. */
export function langFrom(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookie === "en" || cookie === "fr") return cookie;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === "fr" || tag === "en") return tag;
  }
  return "en";
}

/** A date and time in the member's timezone (UTC when none or unknown). */
export function formatDate(ms: number | null | undefined, lang: Lang, timeZone: string | null): string {
  if (ms === null || ms === undefined) return "";
  const opts: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
      ...opts,
      timeZone: timeZone ?? "UTC",
    }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { ...opts, timeZone: "UTC" }).format(
      ms,
    );
  }
}

export const percent = (n: number, lang: Lang) =>
  new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(n);
