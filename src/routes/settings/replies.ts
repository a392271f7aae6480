import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { emailField } from "../../lib/validation";
import { getReplySettings, putReplySettings } from "../../services/replies/settings";
import { registerSettings } from "./helper";

const domain = z
  .string()
  .trim()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    "a domain name such as replies.example.com",
  );

const Replies = z
  .object({
    inbound_domain: domain.nullable().openapi({
      description:
        "The domain Email Routing hands to this Worker; messages then carry Reply-To: reply+<token>@<inbound_domain>",
    }),
    forward_to: emailField.nullable().openapi({
      description:
        "Where replies are forwarded (a verified Email Routing destination); else the reply_to of the scenario or campaign, else its from_email",
    }),
  })
  .openapi("ReplySettings");

export const registerReplySettings = (app: App) =>
  registerSettings(app, {
    name: "replies",
    title: "Replies: the inbound domain of reply addresses and where replies are forwarded",
    schema: Replies,
    input: Replies.partial().strict().openapi("ReplySettingsInput"),
    get: getReplySettings,
    put: putReplySettings,
  });
