import { usePage } from "../layout";

/** "Render for contact": a labelled select of contacts by address (optional: a "—" first). */
export function ContactSelect(props: {
  id: string;
  contacts: { id: string; email: string }[];
  optional?: boolean;
}) {
  const { t } = usePage();
  return (
    <div>
      <label for={props.id}>{t.templates.previewFor}</label>
      <select id={props.id} name="contact_id">
        {props.optional ? <option value="">—</option> : null}
        {props.contacts.map((r) => (
          <option value={r.id}>{r.email}</option>
        ))}
      </select>
    </div>
  );
}
