import { DUE_BUCKETS } from "../../../services/inbox/due";
import { INTERACTION_STATUSES } from "../../../services/inbox/view";
import { usePage } from "../layout";

export function Filters(props: { assignee: string; status: string; due: string; canMe: boolean }) {
  const { t } = usePage();
  return (
    <form method="get" action="/app/inbox" class="row">
      <div>
        <label for="assignee">{t.inbox.assignee}</label>
        <select id="assignee" name="assignee">
          <option value="">{t.common.all}</option>
          {props.canMe ? (
            <option value="me" selected={props.assignee === "me"}>
              {t.inbox.me}
            </option>
          ) : null}
          <option value="unassigned" selected={props.assignee === "unassigned"}>
            {t.inbox.unassigned}
          </option>
        </select>
      </div>
      <div>
        <label for="status">{t.common.status}</label>
        <select id="status" name="status">
          <option value="">{t.common.all}</option>
          {INTERACTION_STATUSES.map((s) => (
            <option value={s} selected={props.status === s}>
              {t.inbox.statuses[s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="due">{t.inbox.due}</label>
        <select id="due" name="due">
          {DUE_BUCKETS.map((d) => (
            <option value={d} selected={props.due === d}>
              {t.inbox.dueBuckets[d]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t.common.filter}</button>
    </form>
  );
}
