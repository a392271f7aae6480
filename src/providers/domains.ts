/**
 * Sending-domain authentication at the providers, and DNS over HTTPS. Every call has a timeout and
 * answers a value or an error message (never throws): a check that cannot reach its provider leaves
 * the domain pending with the reason.
 *
 * - SES v2: CreateEmailIdentity (POST /v2/email/identities) answers the Easy DKIM tokens (three
 *   CNAMEs `<token>._domainkey` -> `<token>.dkim.amazonses.com`); PutEmailIdentityMailFromAttributes
 *   (PUT .../mail-from) sets the MAIL FROM subdomain (MX to feedback-smtp.<region>.amazonses.com, SPF
 *   TXT include:amazonses.com); GetEmailIdentity (GET .../identities/<domain>) answers
 *   DkimAttributes.Status and MailFromAttributes.MailFromDomainStatus (SUCCESS, PENDING, FAILED,
 *   TEMPORARY_FAILURE, NOT_STARTED). SES_ENDPOINT overrides the base URL.
 * - Brevo: POST /v3/senders/domains {name} answers `dns_records` ({<kind>: {type, value, host_name,
 *   status}}); GET /v3/senders/domains/<domain> the same with each record's status. BREVO_API_BASE
 *   overrides the base URL.
 * - DNS over HTTPS, JSON API: GET <DOH_ENDPOINT>?name=&type=TXT with Accept application/dns-json ->
 *   {Status, Answer: [{type: 16, data: "\"v=DMARC1; ...\""}]}.
 */
import { AwsClient } from "aws4fetch";
import { sesEndpoint } from "./ses";

export const DEFAULT_DOH = "https://cloudflare-dns.com/dns-query";
const TIMEOUT_MS = 5000;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface IdentityRecord {
  kind: "dkim" | "spf" | "mail_from" | "verification";
  type: "CNAME" | "TXT" | "MX";
  name: string;
  value: string;
  /** What the provider says of it: verified, pending or failed. */
  status: "verified" | "pending" | "failed";
}

async function call<T>(
  what: string,
  run: (signal: AbortSignal) => Promise<Response>,
  read: (j: unknown) => T,
) {
  try {
    const res = await run(AbortSignal.timeout(TIMEOUT_MS));
    const text = await res.text();
    if (!res.ok) return { ok: false as const, reason: `${what}: HTTP ${res.status} ${text.slice(0, 200)}` };
    return { ok: true as const, value: read(text ? JSON.parse(text) : {}) };
  } catch (e) {
    return {
      ok: false as const,
      reason: `${what}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300),
    };
  }
}

const sesStatus = (s: unknown): IdentityRecord["status"] =>
  s === "SUCCESS" ? "verified" : s === "FAILED" ? "failed" : "pending";

export interface SesIdentityAccount {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** SES: the identity's records (DKIM CNAMEs, MAIL FROM MX and SPF) with their status. */
function sesRecords(domain: string, region: string, j: Record<string, unknown>): IdentityRecord[] {
  const dkim = (j.DkimAttributes ?? {}) as { Tokens?: string[]; Status?: string };
  const mailFrom = (j.MailFromAttributes ?? {}) as { MailFromDomain?: string; MailFromDomainStatus?: string };
  const from = mailFrom.MailFromDomain || `mail.${domain}`;
  const fromStatus = sesStatus(mailFrom.MailFromDomainStatus);
  return [
    ...(dkim.Tokens ?? []).map(
      (t): IdentityRecord => ({
        kind: "dkim",
        type: "CNAME",
        name: `${t}._domainkey.${domain}`,
        value: `${t}.dkim.amazonses.com`,
        status: sesStatus(dkim.Status),
      }),
    ),
    {
      kind: "mail_from",
      type: "MX",
      name: from,
      value: `10 feedback-smtp.${region}.amazonses.com`,
      status: fromStatus,
    },
    { kind: "spf", type: "TXT", name: from, value: "v=spf1 include:amazonses.com ~all", status: fromStatus },
  ];
}

export function sesIdentities(account: SesIdentityAccount, endpoint: string) {
  const client = new AwsClient({ ...account, service: "ses", retries: 0 });
  const base = `${sesEndpoint(account.region, endpoint)}/v2/email/identities`;
  const json = { "Content-Type": "application/json" };
  return {
    /** Create the identity (an existing one is read instead) and set its MAIL FROM subdomain. */
    async create(domain: string): Promise<Checked<IdentityRecord[]>> {
      const created = await call(
        "SES CreateEmailIdentity",
        (signal) =>
          client.fetch(base, {
            method: "POST",
            headers: json,
            body: JSON.stringify({ EmailIdentity: domain }),
            signal,
          }),
        (j) => j as Record<string, unknown>,
      );
      if (!created.ok && !/AlreadyExists|409/.test(created.reason)) return created;
      const mailFrom = await call(
        "SES PutEmailIdentityMailFromAttributes",
        (signal) =>
          client.fetch(`${base}/${encodeURIComponent(domain)}/mail-from`, {
            method: "PUT",
            headers: json,
            body: JSON.stringify({
              MailFromDomain: `mail.${domain}`,
              BehaviorOnMxFailure: "USE_DEFAULT_VALUE",
            }),
            signal,
          }),
        () => true,
      );
      if (!mailFrom.ok) return mailFrom;
      return this.get(domain);
    },
    async get(domain: string): Promise<Checked<IdentityRecord[]>> {
      return call(
        "SES GetEmailIdentity",
        (signal) => client.fetch(`${base}/${encodeURIComponent(domain)}`, { method: "GET", signal }),
        (j) => sesRecords(domain, account.region, j as Record<string, unknown>),
      );
    },
  };
}

/** Brevo: `dns_records` as records; `status` true is verified. */
function brevoRecords(domain: string, j: Record<string, unknown>): IdentityRecord[] {
  const records = (j.dns_records ?? {}) as Record<
    string,
    { type?: string; value?: string; host_name?: string; status?: boolean }
  >;
  return Object.entries(records).flatMap(([key, r]) => {
    if (!r?.value) return [];
    const host =
      !r.host_name || r.host_name === "@"
        ? domain
        : r.host_name.endsWith(domain)
          ? r.host_name
          : `${r.host_name}.${domain}`;
    const kind: IdentityRecord["kind"] = /dkim/i.test(key)
      ? "dkim"
      : /spf/i.test(key)
        ? "spf"
        : "verification";
    if (/dmarc/i.test(key)) return [];
    const type = (r.type ?? "TXT").toUpperCase() as IdentityRecord["type"];
    return [
      {
        kind,
        type,
        name: host,
        value: r.value,
        status: r.status ? "verified" : "pending",
      } satisfies IdentityRecord,
    ];
  });
}

export function brevoDomains(apiKey: string, apiBase: string) {
  const base = `${(apiBase.trim() || "https://api.brevo.com").replace(/\/+$/, "")}/v3/senders/domains`;
  const headers = { "api-key": apiKey, "Content-Type": "application/json", Accept: "application/json" };
  return {
    async create(domain: string): Promise<Checked<IdentityRecord[]>> {
      const created = await call(
        "Brevo create domain",
        (signal) => fetch(base, { method: "POST", headers, body: JSON.stringify({ name: domain }), signal }),
        (j) => brevoRecords(domain, j as Record<string, unknown>),
      );
      // Already there: read it.
      if (!created.ok && /HTTP (400|409)/.test(created.reason)) return this.get(domain);
      return created;
    },
    async get(domain: string): Promise<Checked<IdentityRecord[]>> {
      return call(
        "Brevo get domain",
        (signal) => fetch(`${base}/${encodeURIComponent(domain)}`, { method: "GET", headers, signal }),
        (j) => brevoRecords(domain, j as Record<string, unknown>),
      );
    },
  };
}

/** TXT records at a name, through DNS over HTTPS (quotes and string splits joined). */
export async function lookupTxt(endpoint: string, name: string): Promise<Checked<string[]>> {
  const url = new URL(endpoint.trim() || DEFAULT_DOH);
  url.searchParams.set("name", name);
  url.searchParams.set("type", "TXT");
  return call(
    "DNS over HTTPS",
    (signal) => fetch(url.toString(), { headers: { Accept: "application/dns-json" }, signal }),
    (j) =>
      ((j as { Answer?: { type?: number; data?: string }[] }).Answer ?? [])
        .filter((a) => a.type === 16 && typeof a.data === "string")
        .map((a) => (a.data as string).replace(/"\s*"/g, "").replace(/^"|"$/g, "")),
  );
}
