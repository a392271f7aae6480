import type { ErrorDetail } from "../../../lib/errors";
import { listContacts } from "../../../services/contacts/store";
import { OFFERED_VARIABLES, type TemplateInput } from "../../../services/templates/store";
import type { CheckIssue } from "../../../services/templates/check";
import { Notice } from "../components";
import { CheckList } from "./check-list";
import { ContactSelect } from "./contact-select";
import { Csrf } from "../layout";
import type { Ctx } from "../../../routes/app/session";

export async function Editor(props: {
  c: Ctx;
  id: string | null;
  input: TemplateInput;
  errors: ErrorDetail[];
  warnings: { field: string; message: string }[];
  /** The saved template's check (POST /templates/:id/check), on its page. */
  checks?: CheckIssue[];
}) {
  const { input } = props;
  const { t } = props.c.get("page");
  const contacts = await listContacts(props.c.get("tenant"), { limit: 50 });
  const action = props.id ? `/app/templates/${encodeURIComponent(props.id)}` : "/app/templates";
  const errorOf = (f: string) => props.errors.find((e) => e.field === f);
  const Err = (x: { f: string }) => {
    const e = errorOf(x.f);
    return e ? (
      <p class="notice error" id={`${x.f}-error`} role="alert">
        {e.line ? `line ${e.line}: ` : ""}
        {e.message}
      </p>
    ) : null;
  };
  return (
    <div class="grid">
      <form method="post" action={action} data-live-preview>
        <Csrf />
        {props.errors.length ? <Notice kind="error">{t.common.error}</Notice> : null}
        <label for="name">{t.common.name}</label>
        <input id="name" name="name" required value={input.name} />
        <label for="subject">{t.templates.subject}</label>
        <input id="subject" name="subject" required value={input.subject} aria-describedby="subject-error" />
        <Err f="subject" />
        <label for="preheader">{t.templates.preheader}</label>
        <input id="preheader" name="preheader" value={input.preheader ?? ""} maxlength={200} />
        <label for="html">{t.templates.html}</label>
        <textarea id="html" name="html" rows={14} required aria-describedby="html-error">
          {input.html}
        </textarea>
        <Err f="html" />
        <label for="text">{t.templates.text}</label>
        <textarea id="text" name="text" rows={5} aria-describedby="text-error">
          {input.text ?? ""}
        </textarea>
        <Err f="text" />
        {props.warnings.length ? (
          <Notice kind="error">
            {t.templates.warnings}: {props.warnings.map((w) => w.message).join("; ")}
          </Notice>
        ) : null}
        <div class="row">
          <button type="submit">{t.common.save}</button>
          <ContactSelect id="contact_id" contacts={contacts.items} />
          <button
            type="submit"
            class="secondary"
            formaction="/app/templates/preview"
            formtarget="preview"
            data-preview
          >
            {t.templates.preview}
          </button>
        </div>
      </form>
      <div>
        <h2>{t.templates.preview}</h2>
        <iframe class="preview" name="preview" title={t.templates.preview} sandbox="" src="about:blank" />
        {props.checks ? (
          <section id="checks">
            <h2>{t.builders.wizard.checks}</h2>
            <CheckList name={input.name} issues={props.checks} />
          </section>
        ) : null}
        <h2>{t.templates.variables}</h2>
        <p class="muted">
          {OFFERED_VARIABLES.map((v) => (
            <>
              <code class="var">{`{{ ${v} }}`}</code>{" "}
            </>
          ))}
        </p>
      </div>
    </div>
  );
}
