/**
 * What the template page hands the block editor (web/designer, in a JSON script block): the
 * template's subject and preheader, its design, contacts for the preview, the variables, the saved
 * design's check, where to save, preview and upload, and the words in the member's language.
 */
import type { Design } from "../../../services/designs/schema";
import type { CheckIssue } from "../../../services/templates/check-types";
import type { DesignerWords } from "../i18n-designer";
import type { JourneyWords } from "../i18n-journey";

export interface DesignerData {
  /** An email template, or a landing page (its title in `subject`; form blocks; no check). */
  mode: "email" | "landing";
  template: { id: string; name: string; subject: string; preheader: string };
  /** A landing page's sign-up forms to choose from, its address and whether it is published. */
  forms: { id: string; name: string }[];
  page?: { url: string; published: boolean };
  design: Design;
  contacts: { id: string; name: string }[];
  variables: string[];
  checks: CheckIssue[];
  urls: { save: string; preview: string; upload: string };
  /** The criteria builder's words, fields and operators (a block's visible_if, email mode). */
  criteria: { t: JourneyWords; fields: string[]; operators: string[] };
  csrf: string;
  lang: "en" | "fr";
  t: DesignerWords;
}
