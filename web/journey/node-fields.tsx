/** The selected node's own fields, by its type (PUT /flow's fields, checked again on save). */
import { ActionFields } from "./action-fields";
import { Criteria } from "./criteria";
import { EmailFields } from "./email-fields";
import { Area, Group, Text } from "./fields";
import { editNode, type Update } from "./panel-kit";
import type { Draft, EditorData, Node } from "./types";
import { WaitFields, WaitForFields } from "./wait-fields";

export function NodeFields(props: { n: Node; draft: Draft; data: EditorData; update: Update }) {
  const { n, data, update } = props;
  const { t } = data;
  const set = (fn: (x: Node) => void) => editNode(update, n.id, fn);
  const put = (k: string, v: unknown) =>
    set((x) => {
      const r = x as unknown as Record<string, unknown>;
      if (v === undefined || v === "") delete r[k];
      else r[k] = v;
    });
  switch (n.type) {
    case "email":
      return <EmailFields n={n} data={data} set={set} put={put} />;
    case "sms":
      return (
        <>
          <Area label={t.smsContent} name="content" value={n.content} onChange={(v) => put("content", v)} />
          <Text label={t.smsSender} name="sender" value={n.sender} onChange={(v) => put("sender", v)} />
        </>
      );
    case "wait":
      return <WaitFields n={n} data={data} set={set} put={put} />;
    case "wait_for":
      return <WaitForFields n={n} draft={props.draft} data={data} set={set} put={put} />;
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
