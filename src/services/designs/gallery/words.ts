/** The starter designs' words in English and French (one entry per design, the same keys in both). */
export type Locale = "en" | "fr";

export interface Words {
  name: string;
  subject: string;
  preheader: string;
  heading: string;
  /** Text-block HTML (p, strong, em, a, ul, ol, li, br only). */
  body: string;
  button: string;
  after?: string;
}

export const KINDS = [
  "welcome",
  "newsletter",
  "promotion",
  "rebuy",
  "cross_sell",
  "winback",
  "event",
] as const;
export type Kind = (typeof KINDS)[number];

export const WORDS: Record<Locale, Record<Kind, Words>> = {
  en: {
    welcome: {
      name: "Welcome",
      subject: "Welcome, {{ first_name | default: 'friend' }}",
      preheader: "Here is what to expect from us, and a first step to take.",
      heading: "Welcome aboard, {{ first_name | default: 'friend' }}",
      body: "<p>Thank you for joining us. Every month you will get our news, our best offers and the occasional tip.</p><p>Start by telling us what you like: we will only send what fits.</p>",
      button: "Choose my interests",
    },
    newsletter: {
      name: "Newsletter",
      subject: "Our news this month",
      preheader: "Three things worth your time this month.",
      heading: "This month at the shop",
      body: "<p>Here is what happened, and what is coming:</p><ul><li><strong>New arrivals</strong> in store and online.</li><li>Our <em>workshop</em> is back on Saturdays.</li><li>A reader's question, answered.</li></ul>",
      button: "Read more",
    },
    promotion: {
      name: "Promotion",
      subject: "{{ first_name | default: 'Hello' }}, 20% off until Sunday",
      preheader: "Our seasonal offer ends Sunday at midnight.",
      heading: "20% off everything, until Sunday",
      body: "<p>Our seasonal offer is on: <strong>20% off</strong> the whole shop with the code below, until Sunday at midnight.</p><p>Code: <strong>{{ offer_code | default: 'SEASON20' }}</strong></p>",
      button: "Shop the offer",
    },
    rebuy: {
      name: "Time to restock",
      subject: "Running low, {{ first_name | default: 'there' }}?",
      preheader: "The products you buy again and again, ready when you are.",
      heading: "Time to restock?",
      body: "<p>It has been a while since your last order. Here are the products you usually come back for:</p>",
      button: "Order again",
    },
    cross_sell: {
      name: "You might also like",
      subject: "Picked for you, {{ first_name | default: 'there' }}",
      preheader: "Products that go well with what you bought.",
      heading: "Picked for you",
      body: "<p>Based on your last order, we think you will like these:</p>",
      button: "See all suggestions",
    },
    winback: {
      name: "We miss you",
      subject: "We miss you, {{ first_name | default: 'friend' }}",
      preheader: "A little something to welcome you back.",
      heading: "It has been a while",
      body: "<p>We have not seen you for some time, and a lot has changed. Come back and enjoy <strong>15% off</strong> your next order with the code <strong>{{ offer_code | default: 'COMEBACK15' }}</strong>.</p>",
      button: "Come back",
      after: "<p>Not interested any more? You can unsubscribe at the bottom of this email.</p>",
    },
    event: {
      name: "Event invitation",
      subject: "You are invited: our open evening",
      preheader: "Thursday from 6 pm, drinks and demonstrations.",
      heading: "You are invited",
      body: "<p>Join us for our open evening: <strong>Thursday from 6 pm</strong>, at the shop. Demonstrations, drinks and a few surprises.</p><p>Places are limited: tell us you are coming.</p>",
      button: "I will be there",
    },
  },
  fr: {
    welcome: {
      name: "Bienvenue",
      subject: "Bienvenue, {{ first_name | default: 'chère cliente, cher client' }}",
      preheader: "Ce que vous recevrez de notre part, et une première étape.",
      heading: "Bienvenue, {{ first_name | default: 'et merci' }}",
      body: "<p>Merci de nous avoir rejoints. Chaque mois, vous recevrez nos nouvelles, nos meilleures offres et quelques conseils.</p><p>Dites-nous d'abord ce qui vous plaît : nous n'enverrons que ce qui vous correspond.</p>",
      button: "Choisir mes centres d'intérêt",
    },
    newsletter: {
      name: "Lettre d'information",
      subject: "Nos nouvelles du mois",
      preheader: "Trois choses à ne pas manquer ce mois-ci.",
      heading: "Ce mois-ci à la boutique",
      body: "<p>Ce qui s'est passé, et ce qui arrive :</p><ul><li><strong>Des nouveautés</strong> en boutique et en ligne.</li><li>Notre <em>atelier</em> reprend le samedi.</li><li>La question d'une lectrice, et notre réponse.</li></ul>",
      button: "Lire la suite",
    },
    promotion: {
      name: "Promotion",
      subject: "{{ first_name | default: 'Bonjour' }}, -20 % jusqu'à dimanche",
      preheader: "Notre offre de saison se termine dimanche à minuit.",
      heading: "-20 % sur tout, jusqu'à dimanche",
      body: "<p>Notre offre de saison est lancée : <strong>-20 %</strong> sur toute la boutique avec le code ci-dessous, jusqu'à dimanche minuit.</p><p>Code : <strong>{{ offer_code | default: 'SAISON20' }}</strong></p>",
      button: "Profiter de l'offre",
    },
    rebuy: {
      name: "Réapprovisionnement",
      subject: "Bientôt à court, {{ first_name | default: 'bonjour' }} ?",
      preheader: "Les produits que vous rachetez, prêts quand vous l'êtes.",
      heading: "Il est temps de refaire le plein ?",
      body: "<p>Votre dernière commande date un peu. Voici les produits que vous reprenez habituellement :</p>",
      button: "Commander à nouveau",
    },
    cross_sell: {
      name: "Vous aimerez aussi",
      subject: "Choisis pour vous, {{ first_name | default: 'bonjour' }}",
      preheader: "Des produits qui vont bien avec votre achat.",
      heading: "Choisis pour vous",
      body: "<p>D'après votre dernière commande, ces produits devraient vous plaire :</p>",
      button: "Voir toutes les suggestions",
    },
    winback: {
      name: "Vous nous manquez",
      subject: "Vous nous manquez, {{ first_name | default: 'bonjour' }}",
      preheader: "Une petite attention pour votre retour.",
      heading: "Cela fait longtemps",
      body: "<p>Nous ne vous avons pas vu depuis un moment, et beaucoup de choses ont changé. Revenez et profitez de <strong>-15 %</strong> sur votre prochaine commande avec le code <strong>{{ offer_code | default: 'RETOUR15' }}</strong>.</p>",
      button: "Revenir à la boutique",
      after: "<p>Plus intéressé ? Vous pouvez vous désabonner en bas de cet e-mail.</p>",
    },
    event: {
      name: "Invitation à un événement",
      subject: "Vous êtes invité : notre soirée portes ouvertes",
      preheader: "Jeudi à partir de 18 h, démonstrations et verre de l'amitié.",
      heading: "Vous êtes invité",
      body: "<p>Rejoignez-nous pour notre soirée portes ouvertes : <strong>jeudi à partir de 18 h</strong>, à la boutique. Démonstrations, verre de l'amitié et quelques surprises.</p><p>Les places sont limitées : dites-nous si vous venez.</p>",
      button: "Je serai là",
    },
  },
};
