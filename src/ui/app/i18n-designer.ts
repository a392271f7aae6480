/** The block editor's words (web/designer), in English and French, handed to it with its data. */
import { designerEn } from "./i18n-designer-en";
import { designerFr } from "./i18n-designer-fr";

export type { DesignerWords } from "./i18n-designer-en";

export const DESIGNER_TEXT = { en: designerEn, fr: designerFr } as const;
