/**
 * The web UI's words in English and French. The language comes from the `lang` cookie (the switch
 * in the header), else Accept-Language; dates are shown in the member's timezone.
 */
import { fr } from "./i18n-fr";

export type Lang = "en" | "fr";

const en = {
  appName: "edge-mail",
  nav: {
    dashboard: "Dashboard",
    contacts: "Contacts",
    templates: "Templates",
    scenarios: "Scenarios",
    segments: "Segments",
    campaigns: "Campaigns",
    inbox: "Inbox",
    rules: "Rules",
    settings: "Settings",
  },
  signOut: "Sign out",
  language: "Language",
  login: {
    title: "Sign in",
    emailLabel: "Work email",
    emailHelp: "We email you a sign-in link that works once, for 15 minutes.",
    sendLink: "Email me a sign-in link",
    or: "or, for developers",
    keyLabel: "API key",
    keyButton: "Sign in with the key",
    sent: "If this address belongs to a team member, a sign-in link is on its way. Locally, the terminal running npm start prints it.",
    badKey: "This API key is not valid or was revoked.",
    linkTitle: "Sign in to edge-mail",
    linkButton: "Sign in",
    linkInvalid: "This sign-in link is not valid any more: it was used, or it expired. Ask for a new one.",
    expired: "Your session ended. Please sign in again.",
    csrf: "The form expired. Please try again.",
    setupTitle: "First time here? Create an organization",
    setupHelp:
      "For the operator: the ADMIN_TOKEN secret (locally in .dev.vars) creates an organization and signs you in to it.",
    setupName: "Organization name",
    setupToken: "Operator token (ADMIN_TOKEN)",
    setupButton: "Create and sign in",
    setupBadToken: "This is not the operator token.",
    setupDone: "The organization is created and you are signed in. Its first API key, shown only now:",
  },
  dashboard: {
    title: "Dashboard",
    sent: "Emails sent",
    openRate: "Open rate",
    clickRate: "Click rate",
    days7: "Last 7 days",
    days30: "Last 30 days",
    hotLeads: "Hot leads",
    toHandle: "To handle",
    active: "Active scenarios and campaigns",
    none: "Nothing here yet.",
    heat: { warm: "warm", hot: "hot", very_hot: "very hot" },
    overdue: "overdue",
  },
  common: {
    save: "Save",
    create: "Create",
    cancel: "Cancel",
    search: "Search",
    filter: "Filter",
    next: "Next page",
    status: "Status",
    name: "Name",
    email: "Email",
    score: "Score",
    created: "Created",
    updated: "Updated",
    actions: "Actions",
    confirm: "Confirm",
    back: "Back",
    empty: "Nothing to show.",
    saved: "Saved.",
    error: "Please correct the errors below.",
    notFound: "Not found",
    notFoundBody: "This page does not exist, or it belongs to another organization.",
    all: "All",
    yes: "yes",
    no: "no",
  },
  contacts: {
    title: "Contacts",
    searchLabel: "Search by email or name",
    statusLabel: "Status",
    import: "Import a CSV",
    importHelp:
      "Header row required: email, first_name, last_name, phone, timezone, tags; other columns become attributes.",
    importButton: "Import",
    imported: "Imported",
    rejected: "Rejected rows",
    line: "Line",
    reason: "Reason",
    timeline: "Timeline",
    messages: "Messages",
    events: "Events",
    scores: "Score history",
    consents: "Consents",
    sequences: "Sequences",
    interactions: "Inbox items",
    export: "Export (GDPR)",
    erase: "Erase this contact",
    eraseConfirm:
      "Erase every record of this person? This cannot be undone. Type the email address to confirm.",
    erased: "The contact is erased; only a hash of the address stays on the suppression list.",
  },
  templates: {
    title: "Templates",
    new: "New template",
    subject: "Subject",
    html: "HTML",
    text: "Text (optional: generated from the HTML)",
    variables: "Variables",
    preview: "Preview",
    previewFor: "Preview for contact",
    warnings: "Variables that no contact field provides",
  },
  scenarios: {
    title: "Scenarios",
    new: "New scenario",
    newStep: "New step",
    steps: "Steps",
    stats: "Statistics",
    funnel: "Funnel per step",
    variants: "Variants",
    sequences: "Sequences by status",
    start: "Start",
    pause: "Pause",
    resume: "Resume",
    stop: "Stop",
    stopConfirm: "Stop this scenario? Every running sequence ends.",
    probability: "Probability best",
    sentCol: "Sent",
    openedCol: "Opened",
    clickedCol: "Clicked",
    settings: "Settings",
    trigger: "Trigger",
    delay: "Delay",
    template: "Template",
    weight: "Weight",
  },
  form: {
    provider: "Provider",
    providerDefault: "(organization default)",
    fromEmail: "From (email)",
    fromName: "From (name)",
    replyTo: "Reply-To",
    windowStart: "Window start (HH:MM)",
    windowEnd: "Window end (HH:MM)",
    timezone: "Timezone (IANA)",
    dailyCap: "Daily cap",
    cooldown: "Cooldown (days)",
    minValidation: "Minimum validation score (0-100)",
    excludeDomains: "Excluded domains (comma-separated)",
    allContacts: "(all subscribed contacts)",
    days: "Days",
    dayNames: { sun: "Sun", mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat" },
    stopOnReply: "Stop on reply",
    onlyDeliverable: "Deliverable addresses only",
    parent: "Parent #",
    logic: "Logic",
    logicAnd: "all of (and)",
    logicOr: "any of (or)",
    field: "Field",
    operator: "Operator",
    value: "Value",
    dryRun: "Dry run",
    simulate: "Simulate",
    wouldSend: "would send",
    excluded: "Excluded",
    reminders: "Reminders",
    reminderEmail: "Email the assignee",
    webhookUrl: "Webhook URL",
    revoke: "Revoke",
    revokeConfirm: "Revoke this key? Programs using it stop working.",
    prefix: "Prefix",
    sesRegion: "SES region",
    sesAccessKey: "SES access key id",
    sesSecret: "SES secret access key",
    brevoKey: "Brevo API key",
    json: "(JSON)",
    campaignActions: {
      send: "Send now",
      schedule: "Schedule",
      pause: "Pause",
      resume: "Resume",
      cancel: "Cancel",
    },
  },
  segments: { title: "Segments", count: "Contacts", sample: "Sample", criteria: "Criteria (JSON)" },
  campaigns: {
    title: "Campaigns",
    audience: "Audience",
    dryRun: "Dry run",
    timeline: "Timeline",
    scheduled: "Scheduled for",
  },
  inbox: {
    title: "Inbox",
    assignee: "Assignee",
    me: "Me",
    unassigned: "Unassigned",
    due: "Due",
    done: "Done",
    plus1: "+1 day",
    plus3: "+3 days",
    plus7: "+1 week",
    conflict: "Someone changed this item meanwhile: it was reloaded.",
    bulkDone: "Mark selected as done",
    statuses: { todo: "To do", in_progress: "In progress", done: "Done" },
    dueBuckets: { overdue: "Overdue", today: "Today", week: "This week", all: "Any time" },
    selectItem: "Select",
  },
  rules: {
    title: "Rules",
    trigger: "Trigger",
    enabled: "Enabled",
    runs: "Runs",
    conditions: "Conditions",
    actions: "Actions",
  },
  settings: {
    title: "Settings",
    providers: "Email providers",
    webhooks: "Webhook URLs (give these to SES and Brevo)",
    scoring: "Scoring",
    members: "Team members",
    apiKeys: "API keys",
    secretHidden: "set (write-only)",
    notSet: "not set",
  },
};

export type Text = typeof en;

export const TEXT: Record<Lang, Text> = { en, fr };

/** The cookie's choice, else the first of Accept-Language that we speak, else English. */
export function langFrom(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookie === "en" || cookie === "fr") return cookie;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === "fr" || tag === "en") return tag;
  }
  return "en";
}

/** A date and time in the member's timezone (UTC when none or unknown). */
export function formatDate(ms: number | null | undefined, lang: Lang, timeZone: string | null): string {
  if (ms === null || ms === undefined) return "";
  const opts: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
      ...opts,
      timeZone: timeZone ?? "UTC",
    }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { ...opts, timeZone: "UTC" }).format(
      ms,
    );
  }
}

export const percent = (n: number, lang: Lang) =>
  new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(n);
