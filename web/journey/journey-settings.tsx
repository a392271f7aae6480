/** The journey's own settings, shown when the entry is selected: entry, re-entry, goal, exits. */
import { Criteria } from "./criteria";
import { Check, Group, num, Select, Text } from "./fields";
import { Issues, type Update } from "./panel-kit";
import type { Draft, EditorData } from "./types";
import { WAIT_FOR } from "./wait-fields";

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

export function JourneySettings(props: { draft: Draft; data: EditorData; update: Update; issues: string[] }) {
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
