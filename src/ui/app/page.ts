import type { Lang, Text } from "./i18n";

/** What every page is rendered with: the words, the member's timezone, the CSRF token, the assets. */
export interface Page {
  t: Text;
  lang: Lang;
  timeZone: string | null;
  csrf: string;
  css: string;
  js: string;
  /** The current path, for aria-current in the navigation. */
  path: string;
}
