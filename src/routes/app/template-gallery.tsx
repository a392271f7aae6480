import type { App } from "../../app-env";
import { GALLERY, galleryItem } from "../../services/designs/gallery";
import { createTemplate } from "../../services/templates/store";
import { Csrf } from "../../ui/app/layout";
import { runForm } from "./forms";
import { type Ctx, field, formOf, pageOf, render } from "./session";

/** Starting a template from a starter design: the gallery as a choice, copied on submit. */
export async function GalleryChoice(props: { c: Ctx }) {
  const p = await pageOf(props.c);
  const t = p.t.templates;
  return (
    <section class="card">
      <h2>{t.gallery}</h2>
      <form method="post" action="/app/templates/from-gallery" class="row">
        <Csrf />
        <div>
          <label for="gallery_id">{t.starter}</label>
          <select id="gallery_id" name="gallery_id">
            {(["en", "fr"] as const).map((locale) => (
              <optgroup label={locale === "en" ? "English" : "Français"}>
                {GALLERY.filter((g) => g.locale === locale).map((g) => (
                  <option value={g.id} selected={g.locale === p.lang && g.kind === "welcome"}>
                    {g.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <button type="submit">{t.useStarter}</button>
      </form>
    </section>
  );
}

export function registerTemplateGallery(app: App) {
  app.post("/app/templates/from-gallery", async (c) => {
    const item = galleryItem(field(await formOf(c), "gallery_id"));
    if (!item) return c.redirect("/app/templates/new", 303);
    return runForm(
      async () => {
        const row = await createTemplate(c.get("tenant"), {
          name: item.name,
          subject: item.subject,
          preheader: item.preheader,
          locale: item.locale,
          design: item.design,
        });
        return c.redirect(`/app/templates/${encodeURIComponent(row.id)}`, 303);
      },
      async () => render(c, item.name, <p class="notice error">{item.id}</p>, 422),
    );
  });
}
