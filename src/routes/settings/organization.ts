import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { timezoneField } from "../../lib/validation";
import { getOrganizationProfile, putOrganizationProfile } from "../../services/settings/organization-profile";
import { registerSettings } from "./helper";

const Profile = z
  .object({
    timezone: timezoneField.openapi({ description: "IANA timezone of the reports' days and weeks" }),
    locale: z.enum(["en", "fr"]),
  })
  .openapi("OrganizationProfile");

export const registerOrganizationSettings = (app: App) =>
  registerSettings(app, {
    name: "organization",
    title: "The organization's timezone and locale (reports are bucketed in this timezone)",
    schema: Profile,
    input: Profile.partial().strict().openapi("OrganizationProfileInput"),
    get: getOrganizationProfile,
    put: putOrganizationProfile,
  });
