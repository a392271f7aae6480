/**
 * The side panel: the selected node's fields (the same as PUT /flow takes, checked by the same
 * code on the server), where each of its branches goes, and the journey's own settings (entry,
 * re-entry, goal, exits) when the entry is selected.
 */
import { edgesOf } from "../../src/contracts/flow-graph";
import { Area, Check, Group, num, Select, Text } from "./fields";
import { ENTRY, edgeTarget, outLabel, setEdge } from "./model";
import type { Draft, EditorData, Node } from "./types";

type Update = (fn: (d: Draft) => void) => void;

const WAIT_FOR = ["opened", "clicked", "replied", "purchase", "form_submit", "page_visit", "custom"];
const ENTRY_EVENTS = [
  "purchase",
  "form_submit",
  "page_visit",
  "custom",
  "email_opened",
  "email_clicked",
  "email_replied",
  "tag_added",
  "contact_created",
  "score_reached",
  "rfm_segment_changed",
];
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
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** The issues the checks found on what the panel shows. */
const Issues = (props: { list: string[] }) =>
  props.list.length ? (
    <ul class="jp-issues" role="alert">
      {props.list.map((i) => (
        <li key={i}>{i}</li>
      ))}
    </ul>
  ) : null;

/** Change the selected node in place (the draft is a copy; the caller records the step for undo). */
const editNode = (update: Update, id: string, fn: (n: Node) => void) =>
  update((d) => {
    const n = d.nodes.find((x) => x.id === id);
    if (n) fn(n);
  });

export function Panel(props: {
  draft: Draft;
  data: EditorData;
  selected: string | null;
  issues: string[];
  update: Update;
  onDelete: (id: string) => void;
}) {
  const { draft, data, selected } = props;
  if (selected === ENTRY || !selected) return <JourneySettings {...props} />;
  const n = draft.nodes.find((x) => x.id === selected);
  if (!n) return <JourneySettings {...props} />;
  const { t } = data;
  const others = draft.nodes
    .filter((x) => x.id !== n.id)
    .map((x) => ({ value: x.id, label: `${x.id} · ${t.types[x.type]}` }));
  return (
    <section class="jp" aria-labelledby="jp-title">
      <h3 id="jp-title" tabIndex={-1}>
        {t.types[n.type]} <code>{n.id}</code>
      </h3>
      <Issues list={props.issues} />
      <NodeFields n={n} {...props} />
      {n.type !== "exit" && n.type !== "parallel" ? (
        <Group legend={t.goesTo}>
          {edgesOf(n).map((e) => (
            <Select
              key={e.field}
              name={`out-${e.field}`}
              label={outLabel(n, e.field, t) || t.next}
              value={edgeTarget(n, e.field)}
              empty={t.endsHere}
              options={others}
              onChange={(v) => editNode(props.update, n.id, (x) => setEdge(x, e.field, v || undefined))}
            />
          ))}
        </Group>
      ) : null}
      <div class="jp-actions">
        {draft.start !== n.id ? (
          <button
            type="button"
            class="secondary small"
            onClick={() =>
              props.update((d) => {
                d.start = n.id;
              })
            }
          >
            {t.makeStart}
          </button>
        ) : (
          <span class="muted">{t.isStart}</span>
        )}
        <button type="button" class="danger small" onClick={() => props.onDelete(n.id)}>
          {t.deleteNode}
        </button>
      </div>
    </section>
  );
}

function NodeFields(props: { n: Node; draft: Draft; data: EditorData; update: Update }) {
  const { n, data, update } = props;
  const { t } = data;
  const set = (fn: (x: Node) => void) => editNode(update, n.id, fn);
  const put = (k: string, v: unknown) =>
    set((x) => {
      const r = x as unknown as Record<string, unknown>;
      if (v === undefined || v === "") delete r[k];
      else r[k] = v;
    });
  const templates = data.templates.map((x) => ({ value: x.id, label: x.name }));
  switch (n.type) {
    case "email":
      return (
        <>
          <Text label={t.name} name="name" value={n.name} onChange={(v) => put("name", v)} />
          {n.variants?.length ? (
            <Group legend={t.variants}>
              {n.variants.map((v, i) => (
                <div class="row" key={v.name}>
                  <Text
                    label={t.name}
                    value={v.name}
                    onChange={(x) =>
                      set((m) => {
                        if (m.type === "email" && m.variants?.[i]) m.variants[i].name = x;
                      })
                    }
                  />
                  <Select
                    label={t.template}
                    value={v.template_id}
                    options={templates}
                    onChange={(x) =>
                      set((m) => {
                        if (m.type === "email" && m.variants?.[i]) m.variants[i].template_id = x;
                      })
                    }
                  />
                  <Text
                    label={t.weight}
                    type="number"
                    value={v.weight}
                    onChange={(x) =>
                      set((m) => {
                        if (m.type === "email" && m.variants?.[i]) m.variants[i].weight = Number(x);
                      })
                    }
                  />
                </div>
              ))}
              <button
                type="button"
                class="secondary small"
                onClick={() =>
                  set((m) => {
                    if (m.type !== "email") return;
                    if (!m.variants || m.variants.length <= 2) {
                      m.template_id = m.variants?.[0]?.template_id ?? m.template_id;
                      delete m.variants;
                    } else m.variants.pop();
                  })
                }
              >
                {t.removeVariant}
              </button>
            </Group>
          ) : (
            <Select
              label={t.template}
              name="template_id"
              value={n.template_id}
              options={templates}
              empty=""
              onChange={(v) => put("template_id", v)}
            />
          )}
          <button
            type="button"
            class="secondary small"
            onClick={() =>
              set((m) => {
                if (m.type !== "email") return;
                const first = m.variants ?? [{ name: "A", template_id: m.template_id ?? "", weight: 50 }];
                const name = String.fromCharCode(65 + first.length);
                m.variants = [...first, { name, template_id: data.templates[0]?.id ?? "", weight: 50 }];
                delete m.template_id;
              })
            }
          >
            {t.addVariant}
          </button>
        </>
      );
    case "sms":
      return (
        <>
          <Area label={t.smsContent} name="content" value={n.content} onChange={(v) => put("content", v)} />
          <Text label={t.smsSender} name="sender" value={n.sender} onChange={(v) => put("sender", v)} />
        </>
      );
    case "wait": {
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
    case "wait_for": {
      const emails = props.draft.nodes
        .filter((x) => x.type === "email")
        .map((x) => ({ value: x.id, label: x.id }));
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
    case "condition":
      return (
        <Criteria
          value={n.criteria}
          data={data}
          onChange={(c) =>
            set((x) => {
              if (x.type === "condition") x.criteria = c;
            })
          }
        />
      );
    case "split":
      return (
        <Group legend={t.paths}>
          {n.paths.map((p, i) => (
            <div class="row" key={`${i}`}>
              <Text
                label={t.name}
                value={p.name}
                onChange={(v) =>
                  set((x) => {
                    if (x.type === "split" && x.paths[i]) x.paths[i].name = v;
                  })
                }
              />
              <Text
                label={t.percent}
                type="number"
                value={p.percent}
                onChange={(v) =>
                  set((x) => {
                    if (x.type === "split" && x.paths[i]) x.paths[i].percent = Number(v);
                  })
                }
              />
            </div>
          ))}
          <div class="row">
            <button
              type="button"
              class="secondary small"
              onClick={() =>
                set(
                  (x) =>
                    void (
                      x.type === "split" &&
                      x.paths.push({ name: String.fromCharCode(65 + x.paths.length), percent: 0 })
                    ),
                )
              }
            >
              {t.addPath}
            </button>
            {n.paths.length > 2 ? (
              <button
                type="button"
                class="secondary small"
                onClick={() => set((x) => void (x.type === "split" && x.paths.pop()))}
              >
                {t.removePath}
              </button>
            ) : null}
          </div>
        </Group>
      );
    case "action":
      return <ActionFields n={n} data={data} set={set} />;
    case "parallel":
    case "exit":
      return <p class="muted">{n.type === "exit" ? t.exitHint : t.parallelHint}</p>;
  }
}

function ActionFields(props: {
  n: Extract<Node, { type: "action" }>;
  data: EditorData;
  set: (fn: (x: Node) => void) => void;
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

/** Segment criteria: one group of conditions (and / or); nested groups through the JSON field. */
function Criteria(props: {
  value: Record<string, unknown>;
  data: EditorData;
  onChange: (c: Record<string, unknown>) => void;
}) {
  const { t } = props.data;
  const c = props.value as {
    logic?: string;
    conditions?: { field?: string; operator?: string; value?: unknown }[];
  };
  const rows = c.conditions ?? [];
  const flat = rows.every((r) => "field" in r);
  const change = (
    fn: (x: { logic: string; conditions: { field?: string; operator?: string; value?: unknown }[] }) => void,
  ) => {
    const next = JSON.parse(JSON.stringify({ logic: c.logic ?? "and", conditions: rows }));
    fn(next);
    props.onChange(next);
  };
  return (
    <Group legend={t.criteria}>
      {flat ? (
        <>
          <Select
            label={t.logic}
            name="logic"
            value={c.logic ?? "and"}
            options={[
              { value: "and", label: t.logicAnd },
              { value: "or", label: t.logicOr },
            ]}
            onChange={(v) =>
              change((x) => {
                x.logic = v;
              })
            }
          />
          {rows.map((r, i) => (
            <div class="row" key={`${i}`}>
              <Text
                label={t.field}
                name={`cond-field-${i}`}
                value={r.field}
                hint={i === 0 ? t.fieldsHint : undefined}
                onChange={(v) =>
                  change((x) => {
                    if (x.conditions[i]) x.conditions[i].field = v;
                  })
                }
              />
              <Select
                label={t.operator}
                name={`cond-op-${i}`}
                value={r.operator}
                options={props.data.operators.map((o) => ({ value: o, label: o }))}
                onChange={(v) =>
                  change((x) => {
                    if (x.conditions[i]) x.conditions[i].operator = v;
                  })
                }
              />
              <Text
                label={t.value}
                name={`cond-value-${i}`}
                value={r.value === undefined ? "" : String(r.value)}
                onChange={(v) =>
                  change((x) => {
                    if (x.conditions[i])
                      x.conditions[i].value = v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
                  })
                }
              />
            </div>
          ))}
          <div class="row">
            <button
              type="button"
              class="secondary small"
              onClick={() =>
                change((x) => void x.conditions.push({ field: "tags", operator: "contains", value: "" }))
              }
            >
              {t.addCondition}
            </button>
            {rows.length > 1 ? (
              <button
                type="button"
                class="secondary small"
                onClick={() => change((x) => void x.conditions.pop())}
              >
                {t.removeCondition}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
      <details>
        <summary>JSON</summary>
        <Area
          label={t.criteria}
          name="criteria-json"
          rows={6}
          value={JSON.stringify(props.value, null, 2)}
          onChange={(v) => {
            try {
              props.onChange(JSON.parse(v));
            } catch {
              // Left as it was: the check names JSON it cannot read.
            }
          }}
        />
      </details>
    </Group>
  );
}

function JourneySettings(props: { draft: Draft; data: EditorData; update: Update; issues: string[] }) {
  const { draft, data, update } = props;
  const { t } = data;
  const e = draft.entry;
  const setEntry = (fn: (x: Record<string, unknown>) => void) =>
    update((d) => {
      const x = d.entry as unknown as Record<string, unknown>;
      fn(x);
    });
  const putEntry = (k: string, v: unknown) =>
    setEntry((x) => {
      if (v === undefined || v === "") delete x[k];
      else x[k] = v;
    });
  const goalKind = !draft.goal ? "none" : "criteria" in draft.goal ? "criteria" : "event";
  return (
    <section class="jp" aria-labelledby="jp-title">
      <h3 id="jp-title" tabIndex={-1}>
        {t.journeySettings}
      </h3>
      <Issues list={props.issues} />
      <Group legend={t.entry}>
        <Select
          label={t.entryType}
          name="entry-type"
          value={e.type}
          options={[
            { value: "segment", label: t.entrySegment },
            { value: "event", label: t.entryEvent },
            { value: "date", label: t.entryDate },
            { value: "manual", label: t.entryManual },
          ]}
          onChange={(v) =>
            update((d) => {
              d.entry =
                v === "event"
                  ? { type: "event", event: "purchase" }
                  : v === "date"
                    ? { type: "date", attribute: "birthday", yearly: true }
                    : v === "segment"
                      ? { type: "segment" }
                      : { type: "manual" };
            })
          }
        />
        {e.type === "segment" ? (
          <Select
            label={t.segment}
            name="entry-segment"
            value={e.segment_id ?? ""}
            empty={t.allContacts}
            options={data.segments.map((s) => ({ value: s.id, label: s.name }))}
            onChange={(v) => putEntry("segment_id", v || undefined)}
          />
        ) : null}
        {e.type === "event" ? (
          <>
            <Select
              label={t.event}
              name="entry-event"
              value={e.event}
              options={ENTRY_EVENTS.map((x) => ({ value: x, label: t.events[x] ?? x }))}
              onChange={(v) => putEntry("event", v)}
            />
            {e.event === "custom" ? (
              <Text
                label={t.eventName}
                name="entry-name"
                value={e.name}
                onChange={(v) => putEntry("name", v)}
              />
            ) : null}
            {e.event === "tag_added" ? (
              <Text label={t.tag} name="entry-tag" value={e.tag} onChange={(v) => putEntry("tag", v)} />
            ) : null}
            {e.event === "score_reached" ? (
              <Text
                label={t.threshold}
                name="entry-threshold"
                type="number"
                value={e.threshold}
                onChange={(v) => putEntry("threshold", num(v))}
              />
            ) : null}
            <Text
              label={t.dedupKey}
              name="entry-dedup"
              value={e.dedup_key}
              hint={t.dedupHint}
              onChange={(v) => putEntry("dedup_key", v)}
            />
          </>
        ) : null}
        {e.type === "date" ? (
          <>
            <Text
              label={t.attribute}
              name="entry-attribute"
              value={e.attribute}
              hint={t.dateAttributeHint}
              onChange={(v) => putEntry("attribute", v)}
            />
            <Text
              label={t.offsetDays}
              name="entry-offset"
              type="number"
              value={e.offset_days}
              onChange={(v) => putEntry("offset_days", num(v))}
            />
            <Check
              label={t.yearly}
              name="entry-yearly"
              checked={!!e.yearly}
              onChange={(v) => putEntry("yearly", v || undefined)}
            />
            <Text
              label={t.atTime}
              name="entry-at"
              type="time"
              value={e.at}
              onChange={(v) => putEntry("at", v)}
            />
          </>
        ) : null}
      </Group>
      <Group legend={t.reentry}>
        <Select
          label={t.reentryPolicy}
          name="reentry"
          value={draft.reentry?.policy ?? "once"}
          options={[
            { value: "once", label: t.reentryOnce },
            { value: "always", label: t.reentryAlways },
            { value: "after_days", label: t.reentryAfter },
          ]}
          onChange={(v) =>
            update((d) => {
              d.reentry =
                v === "after_days"
                  ? { policy: "after_days", days: d.reentry?.days ?? 30 }
                  : { policy: v as "once" | "always" };
            })
          }
        />
        {draft.reentry?.policy === "after_days" ? (
          <Text
            label={t.days}
            name="reentry-days"
            type="number"
            value={draft.reentry.days}
            onChange={(v) =>
              update((d) => {
                d.reentry = { policy: "after_days", days: num(v) };
              })
            }
          />
        ) : null}
      </Group>
      <Group legend={t.goal}>
        <Select
          label={t.goalType}
          name="goal-type"
          value={goalKind}
          options={[
            { value: "none", label: t.goalNone },
            { value: "event", label: t.goalEvent },
            { value: "criteria", label: t.goalCriteria },
          ]}
          onChange={(v) =>
            update((d) => {
              d.goal =
                v === "event"
                  ? { event: "purchase" }
                  : v === "criteria"
                    ? {
                        criteria: {
                          logic: "and",
                          conditions: [{ field: "tags", operator: "contains", value: "customer" }],
                        },
                      }
                    : null;
            })
          }
        />
        {draft.goal && "event" in draft.goal ? (
          <Select
            label={t.event}
            name="goal-event"
            value={draft.goal.event}
            options={WAIT_FOR.map((x) => ({ value: x, label: t.events[x] ?? x }))}
            onChange={(v) =>
              update((d) => {
                d.goal = { event: v as "purchase" };
              })
            }
          />
        ) : null}
        {draft.goal && "criteria" in draft.goal ? (
          <Criteria
            value={draft.goal.criteria}
            data={data}
            onChange={(c) =>
              update((d) => {
                d.goal = { criteria: c };
              })
            }
          />
        ) : null}
      </Group>
      <Group legend={t.exitOn}>
        {(["unsubscribed", "replied", "bounced"] as const).map((x) => (
          <Check
            key={x}
            name={`exit-${x}`}
            label={t[`exit_${x}`] ?? x}
            checked={(draft.exit_on ?? ["unsubscribed", "bounced"]).includes(x)}
            onChange={(on) =>
              update((d) => {
                const cur = new Set(d.exit_on ?? ["unsubscribed", "bounced"]);
                if (on) cur.add(x);
                else cur.delete(x);
                d.exit_on = (["unsubscribed", "replied", "bounced"] as const).filter((k) => cur.has(k));
              })
            }
          />
        ))}
      </Group>
    </section>
  );
}
