import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { assetPath } from "../assets";
import { MessagePage } from "./pages";
import { langOf, PUBLIC_TEXT } from "./text";

/** A public page (not cached), in the visitor's language, with the public stylesheet. */
export async function publicPage(
  c: Context<AppEnv>,
  status: 200 | 404,
  body: (css: string, lang: "en" | "fr") => unknown,
) {
  c.header("Cache-Control", "no-store");
  return c.html(body(await assetPath("public"), langOf(c.req.header("Accept-Language"))) as string, status);
}

/** The 404 page of a forged, altered or expired link. */
export const invalidLinkPage = (c: Context<AppEnv>) =>
  publicPage(c, 404, (css, lang) => (
    <MessagePage
      lang={lang}
      css={css}
      title={PUBLIC_TEXT[lang].invalidTitle}
      body={PUBLIC_TEXT[lang].invalidBody}
    />
  ));
