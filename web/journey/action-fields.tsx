/** An action node's fields: the action type, then the fields of that type's config. */
import { Area, num, Select, Text } from "./fields";
import type { SetNode } from "./panel-kit";
import type { EditorData, Node } from "./types";

const ACTIONS = [
  "add_tag",
  "remove_tag",
  "update_field",
  "update_score",
  "create_task",
  "schedule_call",
  "trigger_webhook",
  "send_sms",
  "enroll_in_scenario",
  "notify",
];

export function ActionFields(props: {
  n: Extract<Node, { type: "action" }>;
  data: EditorData;
  set: SetNode;
}) {
  const { n, data, set } = props;
  const { t } = data;
  const cfg = n.action.config as Record<string, unknown>;
  const put = (k: string, v: unknown) =>
    set((x) => {
      if (x.type !== "action") return;
      const c = x.action.config as Record<string, unknown>;
      if (v === undefined || v === "") delete c[k];
      else c[k] = v;
    });
  const str = (k: string) => (cfg[k] === undefined ? undefined : String(cfg[k]));
  const type = n.action.type;
  return (
    <>
      <Select
        label={t.actionType}
        name="action-type"
        value={type}
        options={ACTIONS.map((a) => ({ value: a, label: t.actions[a] ?? a }))}
        onChange={(v) =>
          set((x) => {
            if (x.type === "action") x.action = { type: v as typeof type, config: {} };
          })
        }
      />
      {type === "add_tag" || type === "remove_tag" ? (
        <Text label={t.tag} name="tag" value={str("tag")} onChange={(v) => put("tag", v)} />
      ) : null}
      {type === "update_field" ? (
        <>
          <Text
            label={t.field}
            name="field"
            value={str("field")}
            hint={t.fieldHint}
            onChange={(v) => put("field", v)}
          />
          <Text label={t.value} name="value" value={str("value")} onChange={(v) => put("value", v)} />
        </>
      ) : null}
      {type === "update_score" ? (
        <Text
          label={t.points}
          name="points"
          type="number"
          value={str("points")}
          onChange={(v) => put("points", num(v))}
        />
      ) : null}
      {type === "create_task" || type === "schedule_call" ? (
        <>
          <Text label={t.title} name="title" value={str("title")} onChange={(v) => put("title", v)} />
          <Select
            label={t.assignee}
            name="assignee_id"
            value={str("assignee_id")}
            empty={t.nobody}
            options={data.users.map((u) => ({ value: u.id, label: u.name }))}
            onChange={(v) => put("assignee_id", v || undefined)}
          />
          <Text
            label={t.dueInMinutes}
            name="due_in_minutes"
            type="number"
            value={str("due_in_minutes")}
            onChange={(v) => put("due_in_minutes", num(v))}
          />
        </>
      ) : null}
      {type === "trigger_webhook" ? (
        <Text label={t.url} name="url" type="url" value={str("url")} onChange={(v) => put("url", v)} />
      ) : null}
      {type === "send_sms" ? (
        <>
          <Area
            label={t.smsContent}
            name="sms-content"
            value={str("content") ?? ""}
            onChange={(v) => put("content", v)}
          />
          <Text
            label={t.smsSender}
            name="sms-sender"
            value={str("sender")}
            onChange={(v) => put("sender", v)}
          />
        </>
      ) : null}
      {type === "enroll_in_scenario" ? (
        <Select
          label={t.scenario}
          name="scenario_id"
          value={str("scenario_id")}
          empty=""
          options={data.scenarios.map((s) => ({ value: s.id, label: s.name }))}
          onChange={(v) => put("scenario_id", v)}
        />
      ) : null}
      {type === "notify" ? (
        <>
          <Text label={t.title} name="notify-title" value={str("title")} onChange={(v) => put("title", v)} />
          <Text label={t.body} name="notify-body" value={str("body")} onChange={(v) => put("body", v)} />
          <Select
            label={t.member}
            name="user_id"
            value={str("user_id")}
            empty={t.everyone}
            options={data.users.map((u) => ({ value: u.id, label: u.name }))}
            onChange={(v) => put("user_id", v || undefined)}
          />
        </>
      ) : null}
    </>
  );
}
