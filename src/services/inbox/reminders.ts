import { d1Named, databaseNames } from "../../db/route";
/**
 * The reminder job's core: every interaction that is not done, has an assignee, is past its
 * next_action_at and has no notified_at gets exactly one notification for its assignee, plus an
 * email and/or a signed webhook when its organization configured them.
 *
 * How "exactly once" holds when two runs overlap: each page is one D1 batch, and a batch is a
 * transaction that D1 runs alone (one writer per database). In it, the notification INSERT, the
 * email ledger INSERT and the claiming UPDATE (`... WHERE notified_at IS NULL ... RETURNING`) all
 * match the same rows: those still unclaimed and unchanged since this run read them. A run that
 * read the same rows and commits second matches none of them and produces nothing. The
 * notification and the email's ledger row (an outbox: the SEND consumer and the ledger recovery
 * job take it from there) commit together with the claim, so a crash cannot lose one or double it.
 * The webhook is called after the commit: at most once per arming.
 */
import { configOf } from "../../config";
import type { SendMessage } from "../../contracts/queue-messages";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { idempotencyKey } from "../ledger/create";
import { sendWebhook, type WebhookResult } from "../../providers/outbound-webhook";
import { type DueReminder, notificationContent, reminderEmail, webhookReminder } from "./reminder-content";
import { bulkInsertSql } from "../ledger/create";
import { openWebhookSecret, parseReminderSettings, type StoredReminderSettings } from "./reminder-settings";
import { crossTenantSql } from "../../lib/tenant-sql";

export const REMINDER_PAGE_SIZE = 500;
/** Pages per run; anything left waits for the next run five minutes later. */
export const REMINDER_MAX_PAGES = 400;
export const REMINDER_WEBHOOK_TYPE = "interaction.reminders";

export interface ReminderRunOptions {
  pageSize?: number;
  maxPages?: number;
  /** Injected fetch for the webhooks. */
  fetch?: typeof fetch;
}

export interface ReminderRunResult {
  pages: number;
  /** Interactions this run claimed (= notifications it created). */
  claimed: number;
  emails: number;
  webhooks: number;
  webhookFailures: number;
}

/**
 * The due predicate, written literally like the partial index interactions_reminder_due
 * (migrations/0004_inbox.sql) so SQLite reads the due rows from that index.
 */
const dueWhere = (t: string) =>
  `${t}.notified_at IS NULL AND ${t}.assignee_id IS NOT NULL AND ${t}.status <> 'done' AND ${t}.next_action_at <= ?1`;

const SELECT_DUE = `SELECT i.id, i.organization_id, i.assignee_id, i.contact_id, i.type, i.title, i.body, i.status,
  i.next_action_at, i.message_id, i.scenario_id, i.rule_id, i.created_at, i.updated_at,
  u.email AS assignee_email, u.name AS assignee_name, c.email AS contact_email
FROM interactions i
LEFT JOIN users u ON u.id = i.assignee_id AND u.organization_id = i.organization_id
LEFT JOIN contacts c ON c.id = i.contact_id AND c.organization_id = i.organization_id
WHERE ${dueWhere("i")} ORDER BY i.next_action_at LIMIT ?2`;

/**
 * The page as read (?2, JSON), materialized once: the INSERTs look each row up by primary key
 * from it instead of scanning the JSON once per interaction.
 */
const PAGE = `page AS MATERIALIZED (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.assignee_id') AS assignee_id,
  json_extract(value, '$.next_action_at') AS next_action_at, json_extract(value, '$.notification_id') AS notification_id,
  json_extract(value, '$.title') AS title, json_extract(value, '$.body') AS body FROM json_each(?2))`;

/** Rows of the page still due and unchanged (same assignee, same next action) since they were read. */
const SAME_AS_READ = "i.id = p.id AND i.assignee_id = p.assignee_id AND i.next_action_at = p.next_action_at";

const INSERT_NOTIFICATIONS = `WITH ${PAGE}
INSERT INTO notifications (id, organization_id, user_id, interaction_id, title, body, created_at)
SELECT p.notification_id, i.organization_id, i.assignee_id, i.id, p.title, p.body, ?1
FROM page p JOIN interactions i ON ${SAME_AS_READ}
WHERE ${dueWhere("i")}`;

/** ?3: the email jobs of the page, JSON [{id, ledger_id, key, payload}]. */
const INSERT_LEDGER = bulkInsertSql(
  `SELECT m.ledger_id, i.organization_id, m.key, 'send', NULL, i.contact_id, NULL, NULL, 'pending', 0, m.payload, ?1, ?1
FROM mail m JOIN page p ON p.id = m.id JOIN interactions i ON ${SAME_AS_READ}
WHERE ${dueWhere("i")}`,
  {
    withClause: `${PAGE}, mail AS MATERIALIZED (SELECT json_extract(value, '$.id') AS id,
  json_extract(value, '$.ledger_id') AS ledger_id, json_extract(value, '$.key') AS key, json_extract(value, '$.payload') AS payload
  FROM json_each(?3))`,
    returning: "id, organization_id",
  },
);

/** The claim: the same rows as the INSERTs above, in the same transaction. */
const CLAIM = `WITH ${PAGE}
UPDATE interactions SET notified_at = ?1
WHERE ${dueWhere("interactions")}
  AND id IN (SELECT id FROM page)
  AND (id, assignee_id, next_action_at) IN (SELECT id, assignee_id, next_action_at FROM page)
RETURNING id`;

/** Run the job until no due interaction is left (or the page budget is spent). */
export async function runReminders(env: Env, opts: ReminderRunOptions = {}): Promise<ReminderRunResult> {
  const pageSize = opts.pageSize ?? REMINDER_PAGE_SIZE;
  const maxPages = opts.maxPages ?? REMINDER_MAX_PAGES;
  const result: ReminderRunResult = { pages: 0, claimed: 0, emails: 0, webhooks: 0, webhookFailures: 0 };
  const settings = new Map<string, StoredReminderSettings>();
  // Each database holds its organizations' interactions; settings live in the directory.
  for (const name of databaseNames(env)) {
    const d1 = d1Named(env, name);
    while (result.pages < maxPages) {
      const at = now();
      const { results: due } = await crossTenantSql(d1, SELECT_DUE, at, pageSize).all<DueReminder>();
      if (!due.length) break;
      result.pages++;
      await loadSettings(env, settings, due);
      await processPage(env, d1, at, due, settings, result, opts);
      if (due.length < pageSize) break;
    }
  }
  return result;
}

async function loadSettings(env: Env, cache: Map<string, StoredReminderSettings>, due: DueReminder[]) {
  const missing = [...new Set(due.map((r) => r.organization_id))].filter((id) => !cache.has(id));
  if (!missing.length) return;
  const { results } = await crossTenantSql(
    env.DB,
    "SELECT id, settings FROM organizations WHERE id IN (SELECT value FROM json_each(?1))",
    JSON.stringify(missing),
  ).all<{ id: string; settings: string }>();
  for (const id of missing)
    cache.set(id, parseReminderSettings(results.find((o) => o.id === id)?.settings ?? null));
}

async function processPage(
  env: Env,
  d1: D1Database,
  at: number,
  due: DueReminder[],
  settings: Map<string, StoredReminderSettings>,
  result: ReminderRunResult,
  opts: ReminderRunOptions,
) {
  const notificationIds = new Map<string, string>();
  const page = due.map((r) => {
    const notification_id = newId("ntf", at);
    notificationIds.set(r.id, notification_id);
    return {
      id: r.id,
      assignee_id: r.assignee_id,
      next_action_at: r.next_action_at,
      notification_id,
      ...notificationContent(r),
    };
  });
  const emails = await Promise.all(
    due
      .filter((r) => settings.get(r.organization_id)?.email && r.assignee_email)
      .map(async (r) => ({
        id: r.id,
        ledger_id: newId("op", at),
        // One key per arming: a re-armed reminder (PATCH next-action bumps updated_at, the claim
        // does not) mails again, the same arming never mails twice.
        key: await idempotencyKey([r.organization_id, "reminder", r.id, r.next_action_at, r.updated_at]),
        payload: JSON.stringify(reminderEmail(r, r.assignee_email as string)),
      })),
  );
  const pageJson = JSON.stringify(page);
  const [, ledger, claim] = await d1.batch<{ id: string; organization_id?: string }>([
    crossTenantSql(d1, INSERT_NOTIFICATIONS, at, pageJson),
    crossTenantSql(d1, INSERT_LEDGER, at, pageJson, JSON.stringify(emails)),
    crossTenantSql(d1, CLAIM, at, pageJson),
  ]);
  const claimedIds = new Set((claim?.results ?? []).map((r) => r.id));
  result.claimed += claimedIds.size;
  await enqueueSends(env, ledger?.results ?? [], result);
  await deliverWebhooks(
    env,
    due.filter((r) => claimedIds.has(r.id)),
    notificationIds,
    settings,
    result,
    opts,
  );
}

/** Hand the committed ledger rows to the SEND queue (sendBatch takes at most 100 messages). */
async function enqueueSends(
  env: Env,
  rows: { id: string; organization_id?: string }[],
  result: ReminderRunResult,
) {
  const bodies: SendMessage[] = rows.map((r) => ({
    ledger_id: r.id,
    organization_id: r.organization_id as string,
  }));
  for (let i = 0; i < bodies.length; i += 100) {
    try {
      await env.SEND_QUEUE.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body })));
    } catch (e) {
      // The rows are committed as pending: the ledger recovery job enqueues them again.
      console.error("reminders: enqueue failed, leaving ledger rows pending for recovery", e);
    }
  }
  result.emails += bodies.length;
}

/** One signed webhook per organization per page, carrying that organization's reminders. */
async function deliverWebhooks(
  env: Env,
  claimed: DueReminder[],
  notificationIds: Map<string, string>,
  settings: Map<string, StoredReminderSettings>,
  result: ReminderRunResult,
  opts: ReminderRunOptions,
) {
  const byOrg = new Map<string, DueReminder[]>();
  for (const r of claimed) {
    if (!settings.get(r.organization_id)?.webhook_url) continue;
    const list = byOrg.get(r.organization_id);
    if (list) list.push(r);
    else byOrg.set(r.organization_id, [r]);
  }
  if (!byOrg.size) return;
  const encryptionKey = configOf(env).ENCRYPTION_KEY;
  await Promise.all(
    [...byOrg].map(async ([orgId, rows]) => {
      const s = settings.get(orgId) as StoredReminderSettings;
      const secret = await openWebhookSecret(encryptionKey, s);
      const res = secret
        ? await deliverWithRetry(s.webhook_url as string, secret, orgId, rows, notificationIds, opts)
        : null;
      if (res?.ok) result.webhooks++;
      else {
        result.webhookFailures++;
        console.error(
          "reminders: webhook not delivered",
          orgId,
          res ? res.reason : "no usable signing secret",
        );
      }
    }),
  );
}

/**
 * One immediate retry when the failure may be transient, with the same message id so the receiver
 * can drop a duplicate (Standard Webhooks: webhook-id is stable across attempts).
 */
async function deliverWithRetry(
  url: string,
  secret: string,
  orgId: string,
  rows: DueReminder[],
  notificationIds: Map<string, string>,
  opts: ReminderRunOptions,
): Promise<WebhookResult> {
  const delivery = {
    url,
    secret,
    id: newId("msg", now()),
    type: REMINDER_WEBHOOK_TYPE,
    data: {
      organization_id: orgId,
      reminders: rows.map((r) => webhookReminder(r, notificationIds.get(r.id) as string)),
    },
    fetch: opts.fetch,
  };
  const first = await sendWebhook(delivery);
  return first.ok || !first.retryable ? first : sendWebhook(delivery);
}
