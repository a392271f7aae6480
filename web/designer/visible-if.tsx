/**
 * A block's visible_if in an email: the contacts it shows to, as segment criteria (the journey
 * editor's builder); no condition left shows it to everyone again.
 */
import { Criteria, type CriteriaData } from "../journey/criteria";
import { find } from "./model";
import type { Block, DesignerData, Update } from "./types";

export function VisibleIf(props: { data: DesignerData; block: Block; update: Update }) {
  const { data, block: b } = props;
  const { t } = data;
  const id = b.id as string;
  const rule = b.visible_if as Record<string, unknown> | undefined;
  return (
    <details class="dz-visible" open={!!rule}>
      <summary>{t.visibleIf}</summary>
      <p class="muted small">{t.visibleIfHint}</p>
      <Criteria
        value={rule ?? { logic: "and", conditions: [] }}
        // The journey's word type is looser than the words object it is built from.
        data={data.criteria as unknown as CriteriaData}
        onChange={(c) =>
          props.update((d) => {
            const x = find(d.design, id);
            if (!x) return;
            if ((c.conditions as unknown[] | undefined)?.length) x.visible_if = c;
            else delete x.visible_if;
          }, `${id}.visible_if`)
        }
      />
    </details>
  );
}
