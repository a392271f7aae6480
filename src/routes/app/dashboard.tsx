import type { App } from "../../app-env";
import { activeWork, heatOf, revenueFigures, sendingFigures } from "../../services/dashboard/figures";
import { hotLeads } from "../../services/leads/hot";
import { queryInbox } from "../../services/inbox/query";
import { Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { render, pageOf } from "./session";
import { Figures, Revenue } from "../../ui/app/dashboard/figures";

/** GET /app: sending over 7 and 30 days, hot leads, the next inbox actions, active work. */
export function registerDashboard(app: App) {
  app.get("/app", async (c) => {
    const p = await pageOf(c);
    const tenant = c.get("tenant");
    const [{ week, month }, money, leads, todo, work] = await Promise.all([
      sendingFigures(tenant),
      revenueFigures(tenant),
      hotLeads(tenant, { threshold: 15, limit: 10 }),
      queryInbox(tenant, { userId: c.get("userId") }, { due: "all", limit: 5 }),
      activeWork(tenant),
    ]);
    const { t } = p;
    const at = Date.now();
    return render(
      c,
      t.dashboard.title,
      <>
        <div class="grid">
          <Figures title={t.dashboard.days7} f={week} />
          <Figures title={t.dashboard.days30} f={month} />
          <Revenue r={money} />
        </div>
        <div class="grid">
          <section class="card">
            <h2>{t.dashboard.hotLeads}</h2>
            <Table
              head={[t.common.email, t.common.score, ""]}
              empty={t.dashboard.none}
              rows={leads.items.map((l) => {
                const heat = heatOf(l.score);
                return [
                  <a href={`/app/contacts/${encodeURIComponent(l.contact_id)}`}>{l.name ?? l.email}</a>,
                  String(l.score),
                  heat ? <span class={`badge heat-${heat}`}>{t.dashboard.heat[heat]}</span> : "",
                ];
              })}
            />
          </section>
          <section class="card">
            <h2>{t.dashboard.toHandle}</h2>
            <Table
              head={[t.common.name, t.inbox.due]}
              empty={t.dashboard.none}
              rows={todo.items.map((i) => {
                const due = i.next_action_at ? Date.parse(i.next_action_at) : null;
                return [
                  <a href="/app/inbox">{i.title}</a>,
                  due ? (
                    <span class={due < at ? "overdue" : ""}>
                      {formatDate(due, p.lang, p.timeZone)}
                      {due < at ? ` · ${t.dashboard.overdue}` : ""}
                    </span>
                  ) : (
                    ""
                  ),
                ];
              })}
            />
          </section>
        </div>
        <section class="card">
          <h2>{t.dashboard.active}</h2>
          <Table
            head={[t.common.name, t.common.status]}
            empty={t.dashboard.none}
            rows={[
              ...work.scenarios.map((s) => [
                <a href={`/app/scenarios/${encodeURIComponent(s.id)}`}>{s.name}</a>,
                `${t.nav.scenarios} · ${s.status}`,
              ]),
              ...work.campaigns.map((s) => [
                <a href={`/app/campaigns/${encodeURIComponent(s.id)}`}>{s.name}</a>,
                `${t.nav.campaigns} · ${s.status}`,
              ]),
            ]}
          />
        </section>
      </>,
    );
  });
}
