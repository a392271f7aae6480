/**
 * A campaign's links (GET /campaigns/:id/links): every http(s) link of its templates in the order
 * it appears in the HTML (`position`, 1-based, so a client can draw the clicks on the rendered
 * email), with its clicks and unique clicks; a clicked URL the templates do not hold literally
 * (built by Liquid per contact) comes after them with position null.
 */
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import { type CampaignRow, campaignTemplates, inputOf } from "./store";

/** href values of <a> tags, in document order (bounded: linear in the HTML). */
function linksIn(html: string): string[] {
  const out: string[] = [];
  for (const m of html
    .slice(0, 2_000_000)
    .matchAll(/<a\s[^>]{0,2000}?href\s*=\s*("([^"]{1,4000})"|'([^']{1,4000})')/gi)) {
    const url = (m[2] ?? m[3] ?? "").replace(/&amp;/g, "&").trim();
    if (/^https?:\/\//i.test(url) && !out.includes(url)) out.push(url);
  }
  return out;
}

export async function campaignLinks(tenant: Tenant, c: CampaignRow) {
  const templates = await campaignTemplates(tenant, inputOf(c));
  const ordered: string[] = [];
  for (const t of templates) for (const url of linksIn(t.html)) if (!ordered.includes(url)) ordered.push(url);
  const clicks = await tenantSql(
    tenant,
    `SELECT url, sum(clicks) AS clicks, count(*) AS unique_clicks FROM campaign_link_clicks
       WHERE campaign_id = ?2 AND organization_id = ?1 GROUP BY url_hash`,
    c.id,
  ).all<{ url: string; clicks: number; unique_clicks: number }>();
  const byUrl = new Map(clicks.results.map((r) => [r.url, r]));
  const items: { url: string; position: number | null; clicks: number; unique_clicks: number }[] =
    ordered.map((url, i) => ({
      url,
      position: i + 1,
      clicks: Number(byUrl.get(url)?.clicks ?? 0),
      unique_clicks: Number(byUrl.get(url)?.unique_clicks ?? 0),
    }));
  for (const r of clicks.results)
    if (!ordered.includes(r.url))
      items.push({
        url: r.url,
        position: null,
        clicks: Number(r.clicks),
        unique_clicks: Number(r.unique_clicks),
      });
  return { items };
}

/**
 * The campaign's first template with each link's clicks written after it (a yellow mark), for the
 * campaign page's sandboxed frame: the clicks drawn on the email. Liquid is left as written.
 */
export async function clicksOnEmail(tenant: Tenant, c: CampaignRow): Promise<string> {
  const [template] = await campaignTemplates(tenant, inputOf(c));
  if (!template) return "";
  const { items } = await campaignLinks(tenant, c);
  const byUrl = new Map(items.map((l) => [l.url, l]));
  const mark = (n: number, unique: number) =>
    `<mark style="background:#ffd54f;color:#1d1d1f;font:bold 12px system-ui,sans-serif;padding:1px 5px;border-radius:3px;margin-left:3px">${n} (${unique})</mark>`;
  return template.html
    .slice(0, 2_000_000)
    .replace(
      /(<a\s[^>]{0,2000}?href\s*=\s*("([^"]{1,4000})"|'([^']{1,4000})')[^>]{0,2000}>[\s\S]{0,4000}?<\/a>)/gi,
      (all, _a, _q, dq, sq) => {
        const url = String(dq ?? sq ?? "")
          .replace(/&amp;/g, "&")
          .trim();
        const link = byUrl.get(url);
        return link ? `${all}${mark(link.clicks, link.unique_clicks)}` : all;
      },
    );
}
