/** The fields of the two waiting nodes: a wait (a duration, a date attribute, a time of day) and a wait for an event. */
import { Check, Group, num, Select, Text } from "./fields";
import type { Put, SetNode } from "./panel-kit";
import type { Draft, EditorData, Node } from "./types";

export const WAIT_FOR = ["opened", "clicked", "replied", "purchase", "form_submit", "page_visit", "custom"];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export function WaitFields(props: {
  n: Extract<Node, { type: "wait" }>;
  data: EditorData;
  set: SetNode;
  put: Put;
}) {
  const { n, data, set, put } = props;
  const { t } = data;
  const mode = n.until_time ? "time" : n.until_attribute !== undefined ? "attribute" : "duration";
  return (
    <>
      <Select
        label={t.waitMode}
        name="wait-mode"
        value={mode}
        options={[
          { value: "duration", label: t.waitDuration },
          { value: "attribute", label: t.waitAttribute },
          { value: "time", label: t.waitTime },
        ]}
        onChange={(v) =>
          set((x) => {
            if (x.type !== "wait") return;
            for (const k of ["days", "hours", "minutes", "until_attribute", "offset_days", "until_time"])
              delete (x as unknown as Record<string, unknown>)[k];
            if (v === "duration") x.days = 1;
            if (v === "attribute") x.until_attribute = "attributes.";
            if (v === "time") x.until_time = "09:00";
          })
        }
      />
      {mode === "duration" ? (
        <div class="row">
          <Text
            label={t.days}
            name="days"
            type="number"
            value={typeof n.days === "number" ? n.days : undefined}
            onChange={(v) => put("days", num(v))}
          />
          <Text
            label={t.hours}
            name="hours"
            type="number"
            value={n.hours}
            onChange={(v) => put("hours", num(v))}
          />
          <Text
            label={t.minutes}
            name="minutes"
            type="number"
            value={n.minutes}
            onChange={(v) => put("minutes", num(v))}
          />
        </div>
      ) : null}
      {mode === "attribute" ? (
        <>
          <Text
            label={t.attribute}
            name="until_attribute"
            value={n.until_attribute}
            hint={t.attributeHint}
            onChange={(v) => put("until_attribute", v)}
          />
          <Text
            label={t.offsetDays}
            name="offset_days"
            type="number"
            value={n.offset_days}
            onChange={(v) => put("offset_days", num(v))}
          />
        </>
      ) : null}
      {mode === "time" ? (
        <>
          <Text
            label={t.timeOfDay}
            name="until_time"
            type="time"
            value={n.until_time}
            onChange={(v) => put("until_time", v)}
          />
          <Group legend={t.onDays}>
            {DAYS.map((day) => (
              <Check
                key={day}
                label={t[`day_${day}`] ?? day}
                checked={Array.isArray(n.days) && n.days.includes(day)}
                onChange={(on) =>
                  set((x) => {
                    if (x.type !== "wait") return;
                    const cur = new Set(Array.isArray(x.days) ? x.days : []);
                    if (on) cur.add(day);
                    else cur.delete(day);
                    const list = DAYS.filter((d) => cur.has(d));
                    if (list.length) x.days = list as unknown as typeof x.days;
                    else delete x.days;
                  })
                }
              />
            ))}
          </Group>
        </>
      ) : null}
    </>
  );
}

export function WaitForFields(props: {
  n: Extract<Node, { type: "wait_for" }>;
  draft: Draft;
  data: EditorData;
  set: SetNode;
  put: Put;
}) {
  const { n, draft, data, set, put } = props;
  const { t } = data;
  const emails = draft.nodes.filter((x) => x.type === "email").map((x) => ({ value: x.id, label: x.id }));
  return (
    <>
      <Select
        label={t.event}
        name="event"
        value={n.event}
        options={WAIT_FOR.map((e) => ({ value: e, label: t.events[e] ?? e }))}
        onChange={(v) => put("event", v)}
      />
      {n.event === "custom" ? (
        <Text label={t.eventName} name="event-name" value={n.name} onChange={(v) => put("name", v)} />
      ) : null}
      {["opened", "clicked", "replied"].includes(n.event) ? (
        <Select
          label={t.aboutEmail}
          name="node"
          value={n.node}
          empty={t.lastEmail}
          options={emails}
          onChange={(v) => put("node", v || undefined)}
        />
      ) : null}
      <Group legend={t.within}>
        <div class="row">
          {(["days", "hours", "minutes"] as const).map((k) => (
            <Text
              key={k}
              label={t[k] ?? k}
              name={`within-${k}`}
              type="number"
              value={n.within[k]}
              onChange={(v) =>
                set((x) => {
                  if (x.type !== "wait_for") return;
                  const val = num(v);
                  if (val === undefined) delete x.within[k];
                  else x.within[k] = val;
                })
              }
            />
          ))}
        </div>
      </Group>
    </>
  );
}
