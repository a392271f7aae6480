import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { validationError } from "../../lib/errors";
import { expectedVersions, type Expected } from "../../services/interactions/store";
import { etagOf, type InteractionRow, interactionView, parseIfMatch } from "../../services/inbox/view";

/** "me" is the team member the API key is bound to; a key bound to nobody cannot say "me". */
export function resolveAssignee(
  value: string | null | undefined,
  keyUserId: string | null,
  field = "assignee_id",
) {
  if (value !== "me") return value;
  if (!keyUserId) throw validationError(field, '"me" needs an API key bound to a team member');
  return keyUserId;
}

export const toMs = (instant: string | null | undefined) =>
  instant === undefined ? undefined : instant === null ? null : Date.parse(instant);

/** The write precondition of a PATCH: its If-Match header and/or its body's updated_at. */
export const preconditionOf = (c: Context<AppEnv>, bodyUpdatedAt: string | undefined): Expected =>
  expectedVersions(parseIfMatch(c.req.header("If-Match")), bodyUpdatedAt);

/** The interaction as JSON, with its version as the ETag for the next conditional write. */
export function interactionResponse(c: Context<AppEnv>, row: InteractionRow) {
  c.header("ETag", etagOf(row));
  return interactionView(row);
}
