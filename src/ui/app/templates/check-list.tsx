import type { CheckIssue } from "../../../services/templates/check";
import { Table } from "../components";
import { usePage } from "../layout";

/** A template check's issues as a table (errors first), or the line saying none was found. */
export function CheckList(props: { name: string; issues: CheckIssue[] }) {
  const { t } = usePage();
  const w = t.builders.wizard;
  if (!props.issues.length) return <p class="notice ok">{`${props.name}: ${w.checksOk}`}</p>;
  return (
    <Table
      caption={props.name}
      head={[w.severity, "Code", w.problem]}
      empty=""
      rows={props.issues.map((i) => [
        <span class={`badge ${i.severity === "error" ? "failed" : "pending"}`}>{i.severity}</span>,
        i.code,
        i.message,
      ])}
    />
  );
}
