import { count } from "drizzle-orm";
import type { App } from "../../app-env";
import { interactions } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError } from "../../lib/errors";
import { scoped } from "../../lib/tenant";
import { bulkUpdateInteractions } from "../../services/interactions/bulk";
import { DUE_BUCKETS, type DueBucket } from "../../services/inbox/due";
import { setInteractionNextAction, setInteractionStatus } from "../../services/interactions/store";
import { queryInbox } from "../../services/inbox/query";
import { INTERACTION_STATUSES, type InteractionStatus } from "../../services/inbox/view";
import { Notice } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { Filters } from "../../ui/app/inbox/filters";

const DAYS = { plus1: 1, plus3: 3, plus7: 7 } as const;

async function statusCounts(c: Ctx) {
  const tenant = c.get("tenant");
  const rows = await tenant.db
    .select({ status: interactions.status, n: count() })
    .from(interactions)
    .where(scoped(tenant, interactions))
    .groupBy(interactions.status)
    .all();
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
}

async function inboxPage(c: Ctx, notice: string | null = null) {
  const p = await pageOf(c);
  const { t } = p;
  const userId = c.get("userId");
  const assigneeQ = c.req.query("assignee") ?? "";
  const assignee = assigneeQ === "unassigned" || (assigneeQ === "me" && userId) ? assigneeQ : "";
  const statusQ = c.req.query("status") ?? "";
  const status = (INTERACTION_STATUSES as readonly string[]).includes(statusQ)
    ? (statusQ as InteractionStatus)
    : null;
  const dueQ = c.req.query("due") ?? "all";
  const due = (DUE_BUCKETS as readonly string[]).includes(dueQ) ? (dueQ as DueBucket) : "all";
  const [result, counts] = await Promise.all([
    queryInbox(
      c.get("tenant"),
      { userId },
      {
        assignee: assignee || undefined,
        status: status ? [status] : undefined,
        due,
        limit: 100,
        timezone: p.timeZone ?? undefined,
      },
    ),
    statusCounts(c),
  ]);
  const at = now();
  return render(
    c,
    t.inbox.title,
    <>
      {notice ? <Notice kind="error">{notice}</Notice> : null}
      <div class="grid">
        {INTERACTION_STATUSES.map((s) => (
          <div class="card">
            <span class="muted">{t.inbox.statuses[s]}</span> <span class="figure">{counts[s] ?? 0}</span>
          </div>
        ))}
      </div>
      <Filters assignee={assignee} status={status ?? ""} due={due} canMe={!!userId} />
      <form id="bulk" method="post" action="/app/inbox/bulk">
        <Csrf />
        <p class="row">
          <label>
            <input type="checkbox" data-select-all /> {t.common.all}
          </label>
          <button type="submit" class="secondary small">
            {t.inbox.bulkDone}
          </button>
        </p>
      </form>
      {result.items.length ? null : <p class="muted">{t.common.empty}</p>}
      <ul class="grid cards">
        {result.items.map((i) => {
          const dueAt = i.next_action_at ? Date.parse(i.next_action_at) : null;
          const action = `/app/inbox/${encodeURIComponent(i.id)}`;
          return (
            <li class="card" data-item>
              <p>
                <label>
                  <input type="checkbox" name="ids" value={i.id} form="bulk" />{" "}
                  <span class="sr">{t.inbox.selectItem}</span>
                </label>
                <strong>{i.title}</strong> <span class="badge">{t.inbox.statuses[i.status]}</span>
              </p>
              {i.contact ? (
                <p>
                  <a href={`/app/contacts/${encodeURIComponent(i.contact.id)}`}>{i.contact.email}</a>
                </p>
              ) : null}
              {i.body ? <p class="muted">{i.body.slice(0, 300)}</p> : null}
              <p>
                {t.inbox.due}:{" "}
                <span data-due class={dueAt && dueAt < at ? "overdue" : ""}>
                  {formatDate(dueAt, p.lang, p.timeZone)}
                </span>
              </p>
              <form method="post" action={action} data-quick data-conflict={t.inbox.conflict} class="row">
                <Csrf />
                <input type="hidden" name="updated_at" value={i.updated_at} />
                <button type="submit" name="action" value="done" class="small">
                  {t.inbox.done}
                </button>
                {(["plus1", "plus3", "plus7"] as const).map((k) => (
                  <button type="submit" name="action" value={k} class="secondary small">
                    {t.inbox[k]}
                  </button>
                ))}
              </form>
            </li>
          );
        })}
      </ul>
    </>,
  );
}

/** GET /app/inbox (filters, counts), POST /app/inbox/:id (quick actions, version-checked), POST /app/inbox/bulk. */
export function registerInbox(app: App) {
  app.get("/app/inbox", (c) => inboxPage(c));
  app.post("/app/inbox/bulk", async (c) => {
    const form = await formOf(c);
    const raw = form.ids;
    const ids = (Array.isArray(raw) ? raw : [raw])
      .filter((v): v is string => typeof v === "string")
      .slice(0, 200);
    if (ids.length) await bulkUpdateInteractions(c.get("tenant"), ids, { action: "mark_done" });
    return c.redirect("/app/inbox", 303);
  });
  app.post("/app/inbox/:id", async (c) => {
    const p = await pageOf(c);
    const form = await formOf(c);
    const action = field(form, "action");
    const version = Date.parse(field(form, "updated_at"));
    const expected = Number.isFinite(version) ? [version] : null;
    const wantsJson = c.req.header("Accept")?.includes("application/json");
    const tenant = c.get("tenant");
    const id = c.req.param("id");
    try {
      let row: Awaited<ReturnType<typeof setInteractionStatus>>;
      if (action === "done") row = await setInteractionStatus(tenant, id, "done", expected);
      else if (action in DAYS) {
        const days = DAYS[action as keyof typeof DAYS];
        row = await setInteractionNextAction(tenant, id, now() + days * 86_400_000, expected);
      } else return c.text("unknown action", 400);
      if (wantsJson)
        return c.json({
          updated_at: new Date(row.updatedAt).toISOString(),
          due_label: formatDate(row.nextActionAt, p.lang, p.timeZone),
        });
      return c.redirect("/app/inbox", 303);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 409 && e.status !== 404)) throw e;
      const message = e.status === 409 ? p.t.inbox.conflict : p.t.common.notFoundBody;
      if (wantsJson) return c.json({ message }, e.status);
      return inboxPage(c, message);
    }
  });
}
