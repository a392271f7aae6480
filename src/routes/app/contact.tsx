import { inArray } from "drizzle-orm";
import type { App } from "../../app-env";
import { scenarios } from "../../db/schema";
import { scoped } from "../../lib/tenant";
import { eraseContact, exportContact } from "../../services/contacts/privacy";
import { Notice, Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { type Ctx, field, formOf, render, pageOf } from "./session";

interface Entry {
  at: number | null;
  kind: string;
  text: string;
}

/** Messages, events, score changes, consents, inbox items as one timeline, newest first. */
function timelineOf(
  x: Awaited<ReturnType<typeof exportContact>>,
  t: Awaited<ReturnType<typeof pageOf>>["t"],
) {
  const ms = (s: string | null) => (s ? Date.parse(s) : null);
  const entries: Entry[] = [
    ...x.messages.map((m) => ({
      at: ms(m.sent_at),
      kind: t.contacts.messages,
      text: `${m.subject ?? ""} · ${m.status} · ${m.open_count}/${m.click_count}`,
    })),
    ...x.events.map((e) => ({
      at: ms(e.occurred_at),
      kind: t.contacts.events,
      text: `${e.type} (${e.source})`,
    })),
    ...x.score_history.map((s) => ({
      at: ms(s.at),
      kind: t.contacts.scores,
      text: `${s.delta > 0 ? "+" : ""}${s.delta} → ${s.score_after} (${s.cause})`,
    })),
    ...x.consents.map((s) => ({
      at: ms(s.created_at),
      kind: t.contacts.consents,
      text: `${s.type}: ${s.state} (${s.source ?? ""})`,
    })),
  ];
  return entries.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
}

async function contactPage(c: Ctx, notice: string | null = null) {
  const p = await pageOf(c);
  const { t } = p;
  const tenant = c.get("tenant");
  const x = await exportContact(tenant, c.req.param("id") ?? "");
  const v = x.contact;
  // The scenarios by name (an id tells a marketer nothing).
  const ids = [...new Set(x.sequences.map((s) => s.scenario_id))].slice(0, 90);
  const names = new Map(
    ids.length
      ? (
          await tenant.db
            .select({ id: scenarios.id, name: scenarios.name })
            .from(scenarios)
            .where(scoped(tenant, scenarios, inArray(scenarios.id, ids)))
            .all()
        ).map((r) => [r.id, r.name])
      : [],
  );
  const name = [v.first_name, v.last_name].filter(Boolean).join(" ");
  const base = `/app/contacts/${encodeURIComponent(v.id)}`;
  return render(
    c,
    name ? `${name} <${v.email}>` : v.email,
    <>
      {notice ? <Notice kind="error">{notice}</Notice> : null}
      <div class="grid">
        <section class="card">
          <p>
            {t.common.status}: <span class="badge">{v.status}</span> · {t.common.score}:{" "}
            <strong>{v.score}</strong>
          </p>
          <p class="muted">{v.tags.join(", ")}</p>
          <p>
            <a class="button secondary" href={`${base}/export`}>
              {t.contacts.export}
            </a>
          </p>
        </section>
        <section class="card">
          <h2>{t.contacts.sequences}</h2>
          <Table
            head={[t.nav.scenarios, t.common.status, "#"]}
            empty={t.common.empty}
            rows={x.sequences.map((s) => [
              <a href={`/app/scenarios/${encodeURIComponent(s.scenario_id)}`}>
                {names.get(s.scenario_id) ?? s.scenario_id}
              </a>,
              s.status,
              String(s.current_step_order ?? ""),
            ])}
          />
          <h2>{t.contacts.interactions}</h2>
          <Table
            head={[t.common.name, t.common.status]}
            empty={t.common.empty}
            rows={x.interactions.map((i) => [i.title, t.inbox.statuses[i.status as "todo"] ?? i.status])}
          />
        </section>
      </div>
      <h2>{t.contacts.timeline}</h2>
      <Table
        head={["", "", ""]}
        empty={t.common.empty}
        rows={timelineOf(x, t).map((e) => [formatDate(e.at, p.lang, p.timeZone), e.kind, e.text])}
      />
      <details>
        <summary>{t.contacts.erase}</summary>
        <form method="post" action={`${base}/erase`} data-confirm={t.contacts.eraseConfirm}>
          <Csrf />
          <label for="confirm-email">{t.contacts.eraseConfirm}</label>
          <input id="confirm-email" name="confirm_email" type="email" required autocomplete="off" />
          <p>
            <button class="danger" type="submit">
              {t.contacts.erase}
            </button>
          </p>
        </form>
      </details>
    </>,
  );
}

/** GET /app/contacts/:id (timeline), its GDPR export, and erasure behind a typed confirmation. */
export function registerContactPage(app: App) {
  app.get("/app/contacts/:id", (c) => contactPage(c));
  app.get("/app/contacts/:id/export", async (c) => {
    const x = await exportContact(c.get("tenant"), c.req.param("id"));
    return c.body(JSON.stringify(x, null, 2), 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="contact-${x.contact.id}.json"`,
    });
  });
  app.post("/app/contacts/:id/erase", async (c) => {
    const p = await pageOf(c);
    const tenant = c.get("tenant");
    const email = (await exportContact(tenant, c.req.param("id"))).contact.email;
    const typed = field(await formOf(c), "confirm_email")
      .trim()
      .toLowerCase();
    if (typed !== email.toLowerCase()) return contactPage(c, p.t.contacts.eraseConfirm);
    await eraseContact(tenant, c.req.param("id"));
    return render(
      c,
      p.t.contacts.erase,
      <>
        <Notice kind="ok">{p.t.contacts.erased}</Notice>
        <p>
          <a href="/app/contacts">{p.t.common.back}</a>
        </p>
      </>,
    );
  });
}
