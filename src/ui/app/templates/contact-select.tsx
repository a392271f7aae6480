import { usePage } from "../layout";

/** "Preview for contact" (or another label): a labelled select of contacts by address (optional: a "—" first). */
export function ContactSelect(props: {
  id: string;
  contacts: { id: string; email: string }[];
  optional?: boolean;
  label?: string;
}) {
  const { t } = usePage();
  return (
    <div>
      <label for={props.id}>{props.label ?? t.templates.previewFor}</label>
      <select id={props.id} name="contact_id">
        {props.optional ? <option value="">—</option> : null}
        {props.contacts.map((r) => (
          <option value={r.id}>{r.email}</option>
        ))}
      </select>
    </div>
  );
}
