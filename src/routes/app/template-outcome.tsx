import { Notice } from "../../ui/app/components";
import { type Ctx, pageOf, render } from "./session";

/** The page after a template page's side form (test send, translations): what happened, and the way back. */
export async function templateOutcome(c: Ctx, id: string, title: string, kind: "ok" | "error", text: string) {
  const p = await pageOf(c);
  return render(
    c,
    title,
    <>
      <Notice kind={kind}>{text}</Notice>
      <p>
        <a href={`/app/templates/${encodeURIComponent(id)}`}>{p.t.templates.backToTemplate}</a>
      </p>
    </>,
    kind === "ok" ? 200 : 422,
  );
}
