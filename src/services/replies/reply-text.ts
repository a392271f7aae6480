/**
 * What the person wrote in a reply, above or below the quote: one pass over the lines, each line
 * read by anchored, bounded patterns, so the work is linear in the text and capped (REPLY_BUDGET)
 * whatever the message's size or shape. Removed: quoted lines (`>`), attribution lines ("On …
 * wrote:" and their localized forms), everything after an original-message separator or an
 * Outlook header block (From / Sent / To / Subject in English, French, German, Spanish, Italian,
 * Dutch, Swedish, Danish, Norwegian, Polish, Russian, Finnish), a signature after `-- `, and a
 * phone client's "Sent from my iPhone" line at the end (not a sentence that only starts like one).
 * The client formats were read in email-reply-parser's and talon's (planer) fixtures; the corpus
 * in test/fixtures/replies measures this.
 */

/** At most this many characters of a reply are read, and at most this many per line. */
export const REPLY_BUDGET = { chars: 256 * 1024, lines: 5000, lineChars: 1000 } as const;

/**
 * Work done, for the bounded-work tests: characters handed to the line patterns (every pattern is
 * anchored and bounded, so its cost is linear in what it is handed). At most about 10 x
 * REPLY_BUDGET.chars for any input: a line is read by the main loop, a header-block look-ahead
 * (5 lines) and an attribution join (3 lines).
 */
export interface Work {
  chars: number;
}

const VERB =
  "(wrote|a écrit|écrit|escribió|ha scritto|scritto|escreveu|schreef|schrieb|skrev|pisze|napisał\\(a\\)|napisała|napisał|kirjoitti|írta|написал|написала)";

/** "On <date>, <name> wrote:" and its forms: strict enough to cut the rest when no quote follows. */
const ATTRIBUTION: RegExp[] = [
  // On <date>, <name> wrote: (en, fr, es, it, pt, nl, de, da/no/sv, pl, fi)
  new RegExp(
    `^[-\\s]{0,10}(on|le|el|il|em|op|am|den|dnia|w dniu|pe)\\s[^\\n]{0,400}${VERB}\\s{0,3}:?[-\\s]{0,10}$`,
    "i",
  ),
  // Am <date> schrieb <name> <email>: / Op <date> schreef <name>: / tir. 18. apr. 2017 kl. 13:09 skrev <name>:
  new RegExp(
    `^(on|le|el|il|op|am|den|[a-zæøåäö]{2,4}\\.)\\s[^\\n]{0,300}\\s${VERB}\\s[^\\n]{0,300}:\\s*$`,
    "i",
  ),
  // <name> <email> schrieb: / wrote: / a écrit :
  new RegExp(`^[^\\n]{0,300}[<[][^\\s<>[\\]]{1,200}[>\\]]\\s{0,3}${VERB}\\s{0,3}:\\s*$`, "i"),
  // 2013.02.08. 7:31 keltezéssel, "Name" írta: / 2024-01-01 10:00 GMT+01:00 Name <email>:
  /^\d{4}[-./]\d{1,2}[-./]\d{1,2}\.?\s[^\n]{0,300}(írta|<[^\s<>]{1,200}>)\s{0,3}:\s*$/i,
  // 30.09.2017, 18.30, "Name" <email>:
  /^\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d[^\n]{0,300}<[^\s<>]{1,200}>\s{0,3}:\s*$/,
  /^(在|20\d\d)[^\n]{0,300}(写道|작성|のメッセージ)\s{0,3}[:：]\s*$/,
];
/** Looser: a line naming a writer and ending with ":", right above quoted lines. */
const INTRODUCES_QUOTE = new RegExp(`${VERB}[^\\n]{0,300}:\\s*$|:\\s*$`, "i");

const SEPARATOR =
  /^[\s>*]{0,10}-{2,}\s?(original message|message d'origine|ursprüngliche nachricht|oprindelig besked|originalmeddelande|opprinnelig melding|alkuperäinen viesti|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|wiadomość oryginalna|исходное сообщение|forwarded message|message transféré|weitergeleitete nachricht)\s?-{0,}\s*$/i;

/** The first line of an Outlook-style header block, and the fields that must follow it. */
const HEADER_FROM =
  /^[\s*]{0,10}(from|de|von|från|fra|van|da|od|от|lähettäjä|feladó|message du)[\s*]{0,3}:[\s*]{0,3}\S/i;
const HEADER_FIELD =
  /^[\s*]{0,10}(from|de|von|sent|date|sujet|copie( à)?|envoyé( le)?|date d'envoi|gesendet|datum|skickat|sendt|verzonden|inviato|data|enviado( el)?|fecha|wysłano|отправлено|дата|lähetetty|elküldve|to|à|an|till|til|aan|a|para|do|кому|vastaanottaja|címzett|subject|objet|betreff|ämne|emne|onderwerp|oggetto|asunto|assunto|temat|тема|aihe|tárgy|cc)[\s*]{0,3}:/i;

const QUOTED = /^\s{0,3}>/;
const SIGNATURE = /^(--|—|–) ?$/;
const RULE = /^\s{0,10}(_{8,}|={4,}|-{8,})\s*$/;

/** "Sent from my iPhone" and its kin: short, no comma, names a device or a mail app. */
const MOBILE =
  /^(sent from|sent with|get outlook for|envoyé de|envoyé depuis|envoyé à partir de|téléchargez outlook|von meinem|gesendet von|gesendet mit|enviado desde|enviado do|inviato da|verzonden (vanaf|met)|verstuurd vanaf|skickat från|sendt fra|wysłane z|отправлено с|lähetetty)\b[^,;:\n]{0,60}\b(iphone|ipad|ipod|android|blackberry|galaxy|samsung|mobile( device)?|phone|smartphone|tablet|huawei|pixel|xiaomi|outlook|mail for windows|yahoo mail|aol|proton ?mail|téléphone|teléfono|telefono|handy|mobil|мобильн)\w{0,10}\.?$/i;

/** A phone or app signature line: what follows it is not the person's text either. */
const isMobileSignature = (line: string) => {
  const t = line.trim();
  return (
    t.length <= 80 &&
    (MOBILE.test(t) ||
      /^sent from \S{1,40}(<[^<>\s]{0,200}>)?$/i.test(t) ||
      /^sent from my( [\w+-]{1,20}){1,5}$/i.test(t))
  );
};

const isAttribution = (line: string) => line.length <= 600 && ATTRIBUTION.some((re) => re.test(line));

/** How many lines (1 to 3: clients wrap it) an attribution starting here spans; 0 when none does. */
function attributionAt(lines: string[], i: number, work: Work): number {
  let joined = "";
  for (let k = 0; k < 3 && i + k < lines.length; k++) {
    const next = lines[i + k] as string;
    // Wrapped lines are consecutive: a blank or quoted line ends the attribution.
    if (k && (!next.trim() || (QUOTED.test(next) && !/^>\s{0,3}:\s*$/.test(next)))) return 0;
    joined = k ? `${joined} ${next.trim()}` : next;
    work.chars += Math.min(joined.length, 600);
    if (isAttribution(joined)) return k + 1;
    // An attribution ends with ":"; a line that does is not the start of a longer one.
    if (k === 0 && /:\s*$/.test(joined)) return 0;
  }
  return 0;
}

/** An Outlook header block starts here: From: then, within 5 lines, another header field. */
function headerBlockAt(lines: string[], i: number, work: Work): boolean {
  const first = lines[i] ?? "";
  work.chars += first.length;
  if (!HEADER_FROM.test(first)) return false;
  let fields = 0;
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    work.chars += (lines[j] as string).length;
    if (HEADER_FIELD.test(lines[j] as string)) fields++;
  }
  return fields >= 2;
}

const nextNonEmpty = (lines: string[], i: number) => {
  for (let j = i + 1; j < Math.min(lines.length, i + 4); j++)
    if ((lines[j] as string).trim()) return lines[j] as string;
  return "";
};

/** The person's own text of a plain-text reply. */
export function visibleText(source: string, work: Work = { chars: 0 }): string {
  const lines = source
    .slice(0, REPLY_BUDGET.chars)
    .replace(/\r\n?/g, "\n")
    .split("\n", REPLY_BUDGET.lines)
    .map((l) => (l.length > REPLY_BUDGET.lineChars ? l.slice(0, REPLY_BUDGET.lineChars) : l));
  const kept: string[] = [];
  let inQuote = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    work.chars += line.length;
    if (QUOTED.test(line)) {
      inQuote = true;
      continue;
    }
    // A quoted line wrapped by the client: unquoted, but straight after the quote.
    if (inQuote && line.trim()) continue;
    inQuote = false;
    if (
      SIGNATURE.test(line) ||
      SEPARATOR.test(line) ||
      headerBlockAt(lines, i, work) ||
      isMobileSignature(line)
    )
      break;
    // A rule just before a header block (Outlook on the web, "====") starts the original.
    if (RULE.test(line) && (headerBlockAt(lines, i + 1, work) || headerBlockAt(lines, i + 2, work))) break;
    const span = attributionAt(lines, i, work);
    if (span) {
      // Quoted lines follow: only the attribution goes. Unquoted text follows: it is the original.
      if (QUOTED.test(nextNonEmpty(lines, i + span - 1))) {
        i += span - 1;
        continue;
      }
      break;
    }
    // A line introducing quoted lines right below it (in any language).
    if (line.length <= 300 && INTRODUCES_QUOTE.test(line) && QUOTED.test(nextNonEmpty(lines, i))) continue;
    kept.push(line);
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
