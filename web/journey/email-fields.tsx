/** An email node's fields: its template, or its A/B variants with their weights. */
import { Group, Select, Text } from "./fields";
import type { Put, SetNode } from "./panel-kit";
import type { EditorData, Node } from "./types";

export function EmailFields(props: {
  n: Extract<Node, { type: "email" }>;
  data: EditorData;
  set: SetNode;
  put: Put;
}) {
  const { n, data, set, put } = props;
  const { t } = data;
  const templates = data.templates.map((x) => ({ value: x.id, label: x.name }));
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
}
