/**
 * The words of the journey recipes (flow/recipes.ts), in English and French: each recipe's name
 * and description, and the subject and body of each email it creates.
 */
export type RecipeKey =
  | "welcome"
  | "abandoned_cart"
  | "post_purchase"
  | "win_back"
  | "birthday"
  | "lead_nurturing";

interface Mail {
  subject: string;
  body: string;
}
interface RecipeText {
  name: string;
  description: string;
  mails: Record<string, Mail>;
}

const p = (...lines: string[]) => lines.map((l) => `<p>${l}</p>`).join("\n");
const hi = {
  en: 'Hello {{ first_name | default: "there" }},',
  fr: 'Bonjour {{ first_name | default: "" }},',
};

export const RECIPE_TEXT: Record<"en" | "fr", Record<RecipeKey, RecipeText>> = {
  en: {
    welcome: {
      name: "Welcome series",
      description:
        "A new contact gets a welcome, then tips two days later, then an offer if they have not clicked.",
      mails: {
        welcome: {
          subject: "Welcome aboard",
          body: p(hi.en, "Thanks for joining us. Here is what to expect from us."),
        },
        tips: {
          subject: "Three tips to get started",
          body: p(hi.en, "Here are three things our customers love."),
        },
        offer: {
          subject: "A little welcome gift",
          body: p(hi.en, "Enjoy 10% off your first order with the code WELCOME10."),
        },
      },
    },
    abandoned_cart: {
      name: "Abandoned cart",
      description:
        "A cart_abandoned event starts it (one run per cart); wait up to 4 hours for a purchase; VIPs get an SMS, the others an email; a purchase ends it as converted.",
      mails: {
        reminder: {
          subject: "You left something behind",
          body: p(hi.en, "Your cart is still waiting for you."),
        },
        last_call: {
          subject: "Last call for your cart",
          body: p(hi.en, "The items in your cart are going fast."),
        },
      },
    },
    post_purchase: {
      name: "Post-purchase with review request",
      description:
        "Three days after each order, a thank-you with a review request; a reminder if they do not click.",
      mails: {
        thanks: {
          subject: "Thank you for your order",
          body: p(hi.en, "How do you like it? Tell us in a short review."),
        },
        review_reminder: {
          subject: "Got a minute for a review?",
          body: p(hi.en, "Your opinion helps other customers choose."),
        },
      },
    },
    win_back: {
      name: "Win-back",
      description:
        "A customer who becomes At Risk (RFM) gets a we-miss-you email, then an offer a week later if they have not bought; the run converts on a purchase.",
      mails: {
        miss_you: { subject: "We miss you", body: p(hi.en, "It has been a while. Here is what is new.") },
        offer: {
          subject: "A gift to welcome you back",
          body: p(hi.en, "Come back with 15% off, this week only."),
        },
      },
    },
    birthday: {
      name: "Birthday",
      description:
        "Every year on the contact's birthday (attribute birthday), at 9:00 in their timezone, a birthday email.",
      mails: {
        birthday: {
          subject: "Happy birthday!",
          body: p(hi.en, "Happy birthday from all of us. A small gift awaits you."),
        },
      },
    },
    lead_nurturing: {
      name: "Lead nurturing",
      description:
        "A form submission starts two educational emails; then a lead scoring 20 or more goes to sales (a task and a notification), the others get a case study.",
      mails: {
        guide: { subject: "Your guide", body: p(hi.en, "Here is the guide you asked for.") },
        story: { subject: "How others did it", body: p(hi.en, "Here is how a customer like you succeeded.") },
        case_study: { subject: "A case study for you", body: p(hi.en, "Read the full case study.") },
      },
    },
  },
  fr: {
    welcome: {
      name: "Série de bienvenue",
      description:
        "Un nouveau contact reçoit un mot de bienvenue, des conseils deux jours plus tard, puis une offre s'il n'a pas cliqué.",
      mails: {
        welcome: {
          subject: "Bienvenue à bord",
          body: p(hi.fr, "Merci de nous avoir rejoints. Voici ce qui vous attend."),
        },
        tips: {
          subject: "Trois conseils pour bien démarrer",
          body: p(hi.fr, "Voici trois choses que nos clients adorent."),
        },
        offer: {
          subject: "Un petit cadeau de bienvenue",
          body: p(hi.fr, "Profitez de 10 % sur votre première commande avec le code BIENVENUE10."),
        },
      },
    },
    abandoned_cart: {
      name: "Panier abandonné",
      description:
        "Un événement cart_abandoned la démarre (un parcours par panier) ; on attend un achat jusqu'à 4 heures ; les VIP reçoivent un SMS, les autres un e-mail ; un achat la termine comme convertie.",
      mails: {
        reminder: {
          subject: "Vous avez oublié quelque chose",
          body: p(hi.fr, "Votre panier vous attend toujours."),
        },
        last_call: {
          subject: "Dernier rappel pour votre panier",
          body: p(hi.fr, "Les articles de votre panier partent vite."),
        },
      },
    },
    post_purchase: {
      name: "Après achat, avec demande d'avis",
      description:
        "Trois jours après chaque commande, un remerciement et une demande d'avis ; une relance sans clic.",
      mails: {
        thanks: {
          subject: "Merci pour votre commande",
          body: p(hi.fr, "Qu'en pensez-vous ? Dites-le-nous en quelques mots."),
        },
        review_reminder: {
          subject: "Une minute pour un avis ?",
          body: p(hi.fr, "Votre avis aide les autres clients à choisir."),
        },
      },
    },
    win_back: {
      name: "Reconquête",
      description:
        "Un client qui passe « At Risk » (RFM) reçoit un e-mail « vous nous manquez », puis une offre une semaine plus tard sans achat ; un achat convertit le parcours.",
      mails: {
        miss_you: {
          subject: "Vous nous manquez",
          body: p(hi.fr, "Cela fait un moment. Voici les nouveautés."),
        },
        offer: {
          subject: "Un cadeau pour votre retour",
          body: p(hi.fr, "Revenez avec 15 % de remise, cette semaine seulement."),
        },
      },
    },
    birthday: {
      name: "Anniversaire",
      description:
        "Chaque année à l'anniversaire du contact (attribut birthday), à 9 h dans son fuseau horaire, un e-mail d'anniversaire.",
      mails: {
        birthday: {
          subject: "Joyeux anniversaire !",
          body: p(hi.fr, "Joyeux anniversaire de toute l'équipe. Un petit cadeau vous attend."),
        },
      },
    },
    lead_nurturing: {
      name: "Maturation des prospects",
      description:
        "Un formulaire envoyé démarre deux e-mails pédagogiques ; ensuite un prospect à 20 points ou plus passe aux ventes (une tâche et une notification), les autres reçoivent une étude de cas.",
      mails: {
        guide: { subject: "Votre guide", body: p(hi.fr, "Voici le guide que vous avez demandé.") },
        story: {
          subject: "Comment d'autres ont réussi",
          body: p(hi.fr, "Voici comment un client comme vous a réussi."),
        },
        case_study: {
          subject: "Une étude de cas pour vous",
          body: p(hi.fr, "Lisez l'étude de cas complète."),
        },
      },
    },
  },
};
