/** The journey editor's words (web/journey), in English and French, handed to it with its data. */
import { journeyEn } from "./i18n-journey-en";
import { journeyFr } from "./i18n-journey-fr";

export type { JourneyWords } from "./i18n-journey-en";

export const JOURNEY_TEXT = { en: journeyEn, fr: journeyFr } as const;
