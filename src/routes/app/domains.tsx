import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { pauseSendersOf } from "../../services/domains/lost";
import {
  deleteDomain,
  domainView,
  getDomainRow,
  listDomains,
  recheckDomain,
  registerDomain,
  setWarmup,
} from "../../services/domains/store";
import { ramp } from "../../services/domains/warmup";
import { Notice, Table } from "../../ui/app/components";
import { formatDate } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { DomainRecords, RampChart, StatusBadge } from "../../ui/app/settings/domain-records";
import { DomainCreate, WarmupPut } from "../domains/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, pageOf, render } from "./session";

const BASE = "/app/settings/domains";

interface Flash {
  ok?: string;
  errors?: ErrorDetail[];
}

const Flashes = (props: { flash: Flash }) => (
  <>
    {props.flash.ok ? <Notice kind="ok">{props.flash.ok}</Notice> : null}
    {props.flash.errors?.length ? (
      <Notice kind="error">
        {props.flash.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join("; ")}
      </Notice>
    ) : null}
  </>
);

async function listPage(c: Ctx, flash: Flash = {}) {
  const p = await pageOf(c);
  const t = p.t.deliverability;
  const { items } = await listDomains(c.get("tenant"), { limit: 100 });
  return render(
    c,
    t.domainsTitle,
    <>
      <p class="muted">{t.domainsIntro}</p>
      <Flashes flash={flash} />
      <Table
        head={[t.domain, t.provider, t.status, t.checkedAt]}
        empty={p.t.common.empty}
        rows={items.map((d) => [
          <a href={`${BASE}/${encodeURIComponent(d.id)}`}>{d.domain}</a>,
          d.provider,
          <StatusBadge status={d.status} />,
          d.checked_at ? formatDate(Date.parse(d.checked_at), p.lang, p.timeZone) : "",
        ])}
      />
      <section class="card">
        <h2>{t.register}</h2>
        <form method="post" action={BASE} class="row">
          <Csrf />
          <div>
            <label for="domain">{t.domain}</label>
            <input id="domain" name="domain" required placeholder="mail.example.com" />
          </div>
          <button type="submit">{t.registerButton}</button>
        </form>
      </section>
    </>,
    flash.errors?.length ? 422 : 200,
  );
}

async function domainPage(c: Ctx, flash: Flash = {}) {
  const p = await pageOf(c);
  const t = p.t.deliverability;
  const d = domainView(await getDomainRow(c.get("tenant"), c.req.param("id") ?? ""));
  const base = `${BASE}/${encodeURIComponent(d.id)}`;
  const w = d.warmup;
  const days = w ? ramp({ ...w, started_at: Date.parse(w.started_at ?? "") || 0 }) : [];
  const when = (iso: string | null) => (iso ? formatDate(Date.parse(iso), p.lang, p.timeZone) : "—");
  return render(
    c,
    d.domain,
    <>
      <p>
        <a href={BASE}>{t.domainsTitle}</a>
      </p>
      <Flashes flash={flash} />
      <section class="card">
        <h2>
          {d.domain} <StatusBadge status={d.status} />
        </h2>
        <p>
          {`${t.provider}: ${d.provider} · ${t.checkedAt}: ${when(d.checked_at)} · ${t.nextCheck}: ${when(d.next_check_at)}`}
        </p>
        {d.reason ? <p class="muted">{`${t.why}: ${d.reason}`}</p> : null}
        <form method="post" action={`${base}/check`} class="row">
          <Csrf />
          <button type="submit">{t.checkNow}</button>
        </form>
      </section>
      <DomainRecords records={d.records} />
      <section class="card">
        <h2>{t.warmup}</h2>
        <p class="muted">{t.warmupHelp}</p>
        {w ? (
          <>
            <p>{`${t.today}: ${w.today_allowance}`}</p>
            <RampChart days={days} />
          </>
        ) : (
          <p>{t.warmupNone}</p>
        )}
        <form method="post" action={`${base}/warmup`}>
          <Csrf />
          <div class="grid">
            <div>
              <label for="start_per_day">{t.warmupStart}</label>
              <input
                id="start_per_day"
                name="start_per_day"
                type="number"
                min="1"
                required
                value={String(w?.start_per_day ?? 50)}
              />
            </div>
            <div>
              <label for="growth">{t.warmupGrowth}</label>
              <input
                id="growth"
                name="growth"
                type="number"
                min="1"
                max="10"
                step="0.1"
                required
                value={String(w?.growth ?? 1.5)}
              />
            </div>
            <div>
              <label for="max_per_day">{t.warmupMax}</label>
              <input
                id="max_per_day"
                name="max_per_day"
                type="number"
                min="1"
                required
                value={String(w?.max_per_day ?? 10000)}
              />
            </div>
          </div>
          <p class="row">
            <button type="submit">{t.warmupSave}</button>
            {w ? (
              <button type="submit" name="stop" value="1" class="secondary" formnovalidate>
                {t.warmupStop}
              </button>
            ) : null}
          </p>
        </form>
      </section>
      <form method="post" action={`${base}/delete`} data-confirm={t.deleteConfirm}>
        <Csrf />
        <button type="submit" class="danger">
          {t.delete}
        </button>
      </form>
    </>,
    flash.errors?.length ? 422 : 200,
  );
}

/**
 * Settings > Sending domains: the list and the register form; a domain's page with its DNS records
 * (copy buttons, each record's status), a check on demand, the warm-up ramp and its chart.
 */
export function registerDomainPages(app: App) {
  app.get(BASE, (c) => listPage(c));
  app.post(BASE, async (c) => {
    const parsed = DomainCreate.safeParse({ domain: field(await formOf(c), "domain").trim() });
    if (!parsed.success) return listPage(c, { errors: issuesOf(parsed.error) });
    return runForm(
      async () => {
        const d = await registerDomain(c.env, c.get("tenant"), parsed.data.domain);
        return c.redirect(`${BASE}/${encodeURIComponent(d.id)}`, 303);
      },
      (errors) => listPage(c, { errors }),
    );
  });
  app.get(`${BASE}/:id`, (c) => domainPage(c));
  app.post(`${BASE}/:id/check`, async (c) => {
    const tenant = c.get("tenant");
    const { row, lost } = await recheckDomain(c.env, tenant, await getDomainRow(tenant, c.req.param("id")));
    if (lost) await pauseSendersOf(c.env, tenant, row.domain);
    return domainPage(c);
  });
  app.post(`${BASE}/:id/warmup`, async (c) => {
    const f = await formOf(c);
    const parsed = WarmupPut.safeParse(
      field(f, "stop")
        ? null
        : {
            start_per_day: Number(field(f, "start_per_day")),
            growth: Number(field(f, "growth")),
            max_per_day: Number(field(f, "max_per_day")),
          },
    );
    if (!parsed.success) return domainPage(c, { errors: issuesOf(parsed.error) });
    await setWarmup(c.get("tenant"), c.req.param("id"), parsed.data);
    return domainPage(c, { ok: (await pageOf(c)).t.common.saved });
  });
  app.post(`${BASE}/:id/delete`, async (c) => {
    await deleteDomain(c.get("tenant"), c.req.param("id"));
    return c.redirect(BASE, 303);
  });
}
