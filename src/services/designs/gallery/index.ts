/**
 * The starter designs (GET /api/v1/template-gallery): welcome, newsletter, promotion, rebuy,
 * cross-sell (the products block fed by the recommendations), win-back and event invitation, in
 * English and French. Each is a design like any other; copying one makes an ordinary template.
 */
import { type Design, DesignSchema } from "../schema";
import { KINDS, type Kind, type Locale, WORDS } from "./words";

export interface GalleryItem {
  id: string;
  name: string;
  kind: Kind;
  locale: Locale;
  subject: string;
  preheader: string;
  design: Design;
}

const SHOP = "https://shop.example.com";
const FOOTER = {
  en: {
    address: "Your shop · 1 Main Street · Springfield",
    unsubscribe_label: "Unsubscribe",
    preferences_label: "Preferences",
  },
  fr: {
    address: "Votre boutique · 1 rue Principale · 75001 Paris",
    unsubscribe_label: "Se désabonner",
    preferences_label: "Préférences",
  },
};
const PRODUCTS: Kind[] = ["rebuy", "cross_sell", "winback"];

function designOf(kind: Kind, locale: Locale): Design {
  const w = WORDS[locale][kind];
  return DesignSchema.parse({
    settings: { background: "#f4f4f7", link_color: kind === "promotion" ? "#b3261e" : "#1f4fd1" },
    blocks: [
      { type: "heading", text: w.heading, level: 1 },
      { type: "text", html: w.body },
      ...(PRODUCTS.includes(kind) ? [{ type: "products", source: "recommendations", columns: 3 }] : []),
      { type: "button", label: w.button, href: `${SHOP}/${kind.replace("_", "-")}` },
      ...(w.after ? [{ type: "text", html: w.after }] : []),
      { type: "divider" },
      {
        type: "social",
        links: [
          { network: "instagram", href: "https://www.instagram.com/" },
          { network: "website", href: SHOP },
        ],
      },
      { type: "footer", ...FOOTER[locale] },
    ],
  });
}

export const GALLERY: GalleryItem[] = (["en", "fr"] as const).flatMap((locale) =>
  KINDS.map((kind) => ({
    id: `${kind}-${locale}`,
    name: WORDS[locale][kind].name,
    kind,
    locale,
    subject: WORDS[locale][kind].subject,
    preheader: WORDS[locale][kind].preheader,
    design: designOf(kind, locale),
  })),
);

export const galleryItem = (id: string) => GALLERY.find((g) => g.id === id) ?? null;
