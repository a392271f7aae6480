import { env } from "cloudflare:workers";
import { createOrg, json, type TestOrg } from "./api";

export interface TestMember {
  id: string;
  email: string;
  timezone: string | null;
  /** An API key bound to this member ("me"). */
  key: string;
}

export interface TestTeam {
  org: TestOrg;
  /** Europe/Paris */
  ada: TestMember;
  /** America/Los_Angeles */
  bob: TestMember;
  /** No time zone (UTC) */
  cy: TestMember;
}

let n = 0;

async function member(org: TestOrg, name: string, timezone: string | null): Promise<TestMember> {
  const email = `${name.toLowerCase()}.${++n}@team.test`;
  const u = await json<{ id: string }>("/api/v1/users", {
    key: org.key,
    body: { name, email, timezone },
    expect: 201,
  });
  const k = await json<{ api_key: string }>("/api/v1/api-keys", {
    key: org.key,
    body: { name, user_id: u.id },
    expect: 201,
  });
  return { id: u.id, email, timezone, key: k.api_key };
}

/** An organization with three team members, each with a key bound to them. */
export async function createTeam(): Promise<TestTeam> {
  const org = await createOrg();
  const [ada, bob, cy] = await Promise.all([
    member(org, "Ada", "Europe/Paris"),
    member(org, "Bob", "America/Los_Angeles"),
    member(org, "Cy", null),
  ]);
  return { org, ada: ada as TestMember, bob: bob as TestMember, cy: cy as TestMember };
}

export interface Interaction {
  id: string;
  type: string;
  title: string;
  status: string;
  assignee_id: string | null;
  contact_id: string | null;
  next_action_at: string | null;
  notified_at: string | null;
  created_at: string;
  updated_at: string;
}

/** POST /api/v1/interactions, expecting 201. */
export const createInteraction = (key: string, body: Record<string, unknown>) =>
  json<Interaction>("/api/v1/interactions", { key, body: { type: "task", ...body }, expect: 201 });

export interface InboxPage {
  items: (Interaction & { contact: { id: string; email: string } | null })[];
  total: number;
  limit: number;
  next_cursor: string | null;
}

export const inbox = (key: string, query = "") =>
  json<InboxPage>(`/api/v1/inbox${query ? `?${query}` : ""}`, { key, expect: 200 });

/** Titles of an inbox query, in order. */
export const inboxTitles = async (key: string, query = "") =>
  (await inbox(key, query)).items.map((i) => i.title);

/**
 * Insert `count` interactions in one statement (a recursive CTE), for volume tests: a row each,
 * due one second apart before `dueBefore`, assigned round-robin to `assignees`.
 */
export async function insertInteractions(
  orgId: string,
  count: number,
  opts: { assignees: (string | null)[]; dueBefore: number; createdAt: number; prefix?: string },
): Promise<void> {
  const prefix = opts.prefix ?? `bulk${++n}`;
  await env.DB.prepare(
    `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?1)
     INSERT INTO interactions (id, organization_id, type, title, status, assignee_id, next_action_at, created_at, updated_at)
     SELECT 'int_' || printf('%012x', ?2) || printf('%016x', n) || ?6, ?3, 'task', ?6 || ' ' || n, 'todo',
       json_extract(?4, '$[' || (n % json_array_length(?4)) || ']'), ?5 - n * 1000, ?2, ?2
     FROM seq`,
  )
    .bind(count, opts.createdAt, orgId, JSON.stringify(opts.assignees), opts.dueBefore, prefix)
    .run();
}

/** Rows of a table for an organization (direct D1 reads for assertions). */
export async function countRows(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
