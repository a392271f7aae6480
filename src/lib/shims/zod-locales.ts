/** The one zod locale the platform uses: its messages are the API's validation messages, in English. */
import en from "../../../node_modules/zod/v4/locales/en.js";

export const locales = { en };
