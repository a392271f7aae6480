import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations/store";
import { createTemplate, type TemplateInput } from "../templates/store";
import type { RecommendationKind } from "./recommend";

const products = `{% for p in recommendations %}<p><a href="{{ p.url }}">{% if p.image_url %}<img src="{{ p.image_url }}" alt="{{ p.name }}" width="160"><br>{% endif %}{{ p.name }}</a>{% if p.price %} — {{ p.price }} {{ p.currency }}{% endif %}</p>{% endfor %}`;
const productsText = `{% for p in recommendations %}- {{ p.name }}{% if p.price %} ({{ p.price }} {{ p.currency }}){% endif %}: {{ p.url }}\n{% endfor %}`;
const offer = (en: boolean) =>
  `{% if offer_code %}<p>${en ? "Your code" : "Votre code"}: <strong>{{ offer_code }}</strong></p>{% endif %}`;

/** The three recommendation emails, in English and French: ordinary, editable templates. */
export const RECOMMENDATION_TEMPLATES: Record<"en" | "fr", Record<RecommendationKind, TemplateInput>> = {
  en: {
    cross_sell: {
      name: "Recommendations: cross-sell (English)",
      subject: "Picked for you, {{ first_name | default: 'friend' }}",
      html: `<p>Hi {{ first_name | default: 'there' }},</p><p>Customers who bought what you bought also loved these:</p>${products}`,
      text: `Hi {{ first_name | default: 'there' }},\n\nCustomers who bought what you bought also loved these:\n${productsText}`,
    },
    rebuy: {
      name: "Recommendations: rebuy (English)",
      subject: "Time to stock up?",
      html: `<p>Hi {{ first_name | default: 'there' }},</p><p>Running low? Your favourites are one click away:</p>${products}${offer(true)}`,
      text: `Hi {{ first_name | default: 'there' }},\n\nRunning low? Your favourites are one click away:\n${productsText}`,
    },
    winback: {
      name: "Recommendations: win-back (English)",
      subject: "We miss you, {{ first_name | default: 'friend' }}",
      html: `<p>Hi {{ first_name | default: 'there' }},</p><p>It has been a while. Here is what is popular right now:</p>${products}${offer(true)}`,
      text: `Hi {{ first_name | default: 'there' }},\n\nIt has been a while. Here is what is popular right now:\n${productsText}{% if offer_code %}\nYour code: {{ offer_code }}{% endif %}`,
    },
  },
  fr: {
    cross_sell: {
      name: "Recommandations : ventes croisées (français)",
      subject: "Sélectionné pour vous, {{ first_name | default: '' }}",
      html: `<p>Bonjour {{ first_name | default: '' }},</p><p>Les clients qui ont acheté comme vous ont aussi aimé :</p>${products}`,
      text: `Bonjour {{ first_name | default: '' }},\n\nLes clients qui ont acheté comme vous ont aussi aimé :\n${productsText}`,
    },
    rebuy: {
      name: "Recommandations : réachat (français)",
      subject: "Il est temps de refaire le plein ?",
      html: `<p>Bonjour {{ first_name | default: '' }},</p><p>Vos produits préférés sont à portée de clic :</p>${products}${offer(false)}`,
      text: `Bonjour {{ first_name | default: '' }},\n\nVos produits préférés sont à portée de clic :\n${productsText}`,
    },
    winback: {
      name: "Recommandations : reconquête (français)",
      subject: "Vous nous manquez, {{ first_name | default: '' }}",
      html: `<p>Bonjour {{ first_name | default: '' }},</p><p>Cela fait longtemps ! Voici ce qui plaît en ce moment :</p>${products}${offer(false)}`,
      text: `Bonjour {{ first_name | default: '' }},\n\nCela fait longtemps ! Voici ce qui plaît en ce moment :\n${productsText}{% if offer_code %}\nVotre code : {{ offer_code }}{% endif %}`,
    },
  },
};

const KEY = "recommendation_templates";
export const recommendationTemplates = (tenant: Tenant) =>
  getSettings<Partial<Record<"en" | "fr", Record<RecommendationKind, string>>>>(tenant, KEY, {});

/** A new organization's three recommendation templates in English and in French. */
export async function seedRecommendationTemplates(tenant: Tenant) {
  const ids: Record<string, Record<string, string>> = {};
  for (const lang of ["en", "fr"] as const) {
    ids[lang] = {};
    for (const kind of ["cross_sell", "rebuy", "winback"] as const)
      ids[lang][kind] = (await createTemplate(tenant, RECOMMENDATION_TEMPLATES[lang][kind])).id;
  }
  await putSettings(tenant, KEY, ids);
}
