import type { App } from "../../app-env";
import { ApiError, validationFailed, zodDetails } from "../../lib/errors";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import { formByToken } from "../../services/forms/store";
import { type Submission, submissionSchema, submitForm } from "../../services/forms/submit";
import type { FormField } from "../../services/forms/store";
import { parseJson } from "../../lib/json";
import { readFields } from "./read-body";

/** A form body is small: a few fields. */
const MAX_BODY = 64 * 1024;

/**
 * POST /f/:token — a sign-up form, posted from any website (form-urlencoded, multipart or JSON).
 * Rate-limited per address and per form; a filled honeypot (`website`) is dropped silently; every
 * field is validated like the API's; the answer is the same for a new and a known address:
 * 303 to the form's redirect_url, or 202 JSON.
 */
export function registerFormPost(app: App) {
  app.post("/f/:token", async (c) => {
    await limit(
      c.env.PUBLIC_RATE_LIMIT,
      clientIp(c) && `form-ip:${clientIp(c)}`,
      "sign-ups from this address",
    );
    const found = await formByToken(c.env, c.req.param("token"));
    if (!found) {
      await countFailure(c);
      throw new ApiError("NOT_FOUND", "unknown form");
    }
    await limit(c.env.FORM_RATE_LIMIT, `form:${found.form.id}`, "sign-ups on this form");
    if (Number(c.req.header("Content-Length") ?? 0) > MAX_BODY)
      throw new ApiError("PAYLOAD_TOO_LARGE", "a form post is at most 64 KB");
    const fields = await readFields(c);
    if (!fields)
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "post the form urlencoded, multipart or as JSON");
    const done = () =>
      found.form.redirectUrl ? c.redirect(found.form.redirectUrl, 303) : c.json({ ok: true }, 202);
    // A bot filled the hidden field: answer as if all went well, keep nothing.
    if (fields.website) return done();
    const parsed = submissionSchema(parseJson<FormField[]>(found.form.fields, [])).safeParse(fields);
    if (!parsed.success) {
      throw validationFailed(zodDetails(parsed.error));
    }
    const submission: Submission = {
      values: parsed.data as Record<string, string>,
      ip: clientIp(c),
      userAgent: c.req.header("User-Agent")?.slice(0, 512) ?? null,
    };
    await submitForm(c.env, found.tenant, found.form, submission);
    return done();
  });
}
