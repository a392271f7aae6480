/** The side panel's fields for each kind of block. */
import { NumberField, SelectField, TextField } from "./fields";
import { find } from "./model";
import { RichText } from "./rich-text";
import type { Block, DesignerData, FormBlock, Update } from "./types";
import { Upload } from "./upload";

const NETWORKS = ["website", "facebook", "instagram", "x", "linkedin", "youtube", "tiktok"] as const;

interface Props {
  data: DesignerData;
  block: Block;
  update: Update;
}

export function BlockFields(props: Props) {
  const { data, block: b } = props;
  const { t } = data;
  const id = b.id as string;
  /** Set one field of this block; typing in a field is one undo step. */
  const put = (k: string, v: unknown) =>
    props.update((d) => {
      const x = find(d.design, id) as Record<string, unknown> | null;
      if (!x) return;
      if (v === undefined || v === "") delete x[k];
      else x[k] = v;
    }, `${id}.${k}`);
  const form = b as Block | FormBlock;
  if (form.type === "form")
    return data.forms.length ? (
      <SelectField
        name="form"
        label={t.formField}
        value={form.form_id}
        options={data.forms.map((f) => ({ value: f.id, label: f.name }))}
        onChange={(v) => put("form_id", v)}
      />
    ) : (
      <p class="muted">{t.noForms}</p>
    );
  switch (b.type) {
    case "heading":
      return (
        <>
          <TextField name="heading" label={t.headingText} value={b.text} onChange={(v) => put("text", v)} />
          <SelectField
            name="level"
            label={t.level}
            value={b.level}
            options={t.levels.split(",").map((label, i) => ({ value: (i + 1) as 1 | 2 | 3, label }))}
            onChange={(v) => put("level", v)}
          />
        </>
      );
    case "text":
      return <RichText key={id} t={t} label={t.textBody} value={b.html} onChange={(v) => put("html", v)} />;
    case "image":
      return (
        <>
          <Upload
            data={data}
            onUploaded={(a) =>
              props.update((d) => Object.assign(find(d.design, id) ?? {}, { asset_id: a.id, src: a.url }))
            }
          />
          <TextField
            name="src"
            type="url"
            label={t.imageSrc}
            value={b.src ?? ""}
            onChange={(v) =>
              // An address typed by hand replaces the uploaded image.
              props.update((d) => {
                const x = find(d.design, id);
                if (x?.type !== "image") return;
                x.src = v;
                delete x.asset_id;
              }, `${id}.src`)
            }
          />
          <TextField name="alt" label={t.alt} value={b.alt ?? ""} onChange={(v) => put("alt", v)} />
          <TextField
            name="img-href"
            type="url"
            label={t.imageHref}
            value={b.href ?? ""}
            onChange={(v) => put("href", v)}
          />
          <NumberField
            name="img-width"
            label={t.imageWidth}
            min={20}
            max={1200}
            value={b.width}
            onChange={(v) => put("width", v)}
          />
        </>
      );
    case "button":
      return (
        <>
          <TextField name="label" label={t.label} value={b.label} onChange={(v) => put("label", v)} />
          <TextField name="href" type="url" label={t.href} value={b.href} onChange={(v) => put("href", v)} />
          <TextField
            name="bg"
            type="color"
            label={t.buttonColor}
            value={b.background ?? data.design.settings.link_color}
            onChange={(v) => put("background", v)}
          />
          <TextField
            name="fg"
            type="color"
            label={t.labelColor}
            value={b.color ?? "#ffffff"}
            onChange={(v) => put("color", v)}
          />
        </>
      );
    case "spacer":
      return (
        <NumberField
          name="height"
          label={t.height}
          min={4}
          max={200}
          value={b.height}
          onChange={(v) => put("height", v ?? 24)}
        />
      );
    case "social":
      return (
        <fieldset>
          <legend>{t.links}</legend>
          {b.links.map((l, i) => (
            <div class="dz-row" key={i}>
              <SelectField
                name={`net-${i}`}
                label={t.network}
                value={l.network}
                options={NETWORKS.map((n) => ({ value: n, label: n }))}
                onChange={(v) =>
                  put(
                    "links",
                    b.links.map((x, j) => (j === i ? { ...x, network: v } : x)),
                  )
                }
              />
              <TextField
                name={`net-href-${i}`}
                type="url"
                label={t.href}
                value={l.href}
                onChange={(v) =>
                  put(
                    "links",
                    b.links.map((x, j) => (j === i ? { ...x, href: v } : x)),
                  )
                }
              />
              <button
                type="button"
                class="secondary"
                disabled={b.links.length < 2}
                onClick={() =>
                  put(
                    "links",
                    b.links.filter((_, j) => j !== i),
                  )
                }
              >
                {t.remove}
              </button>
            </div>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => put("links", [...b.links, { network: "website", href: "https://" }])}
          >
            {t.addLink}
          </button>
        </fieldset>
      );
    case "products":
      return (
        <>
          <SelectField
            name="psource"
            label={t.productsSource}
            value={b.source}
            options={[
              { value: "recommendations" as const, label: t.productsRecommended },
              { value: "product_ids" as const, label: t.productsChosen },
            ]}
            onChange={(v) => put("source", v)}
          />
          {b.source === "product_ids" ? (
            <TextField
              name="pids"
              label={t.productIds}
              value={(b.product_ids ?? []).join(", ")}
              onChange={(v) =>
                put(
                  "product_ids",
                  v
                    .split(",")
                    .map((x) => x.trim())
                    .filter(Boolean),
                )
              }
            />
          ) : (
            <p class="muted">{t.productsHint}</p>
          )}
          <SelectField
            name="pcols"
            label={t.columns}
            value={b.columns}
            options={[1, 2, 3].map((n) => ({ value: n as 1 | 2 | 3, label: String(n) }))}
            onChange={(v) => put("columns", v)}
          />
        </>
      );
    case "html":
      return <TextField name="raw" area label={t.rawHtml} value={b.html} onChange={(v) => put("html", v)} />;
    case "footer":
      return (
        <>
          <TextField name="address" label={t.address} value={b.address} onChange={(v) => put("address", v)} />
          <TextField
            name="unsub"
            label={t.unsubscribeLabel}
            value={b.unsubscribe_label}
            onChange={(v) => put("unsubscribe_label", v)}
          />
          <TextField
            name="prefs"
            label={t.preferencesLabel}
            value={b.preferences_label}
            onChange={(v) => put("preferences_label", v)}
          />
        </>
      );
    case "section":
      return (
        <SelectField
          name="ncols"
          label={t.columns}
          value={b.columns.length}
          options={[1, 2, 3, 4].map((n) => ({ value: n, label: String(n) }))}
          onChange={(n) =>
            props.update((d) => {
              const s = find(d.design, id);
              if (s?.type !== "section") return;
              while (s.columns.length < n) s.columns.push([]);
              // Blocks of removed columns move to the last one kept: nothing is lost.
              while (s.columns.length > n) (s.columns[n - 1] as unknown[]).push(...(s.columns.pop() ?? []));
            })
          }
        />
      );
    default:
      return null;
  }
}
