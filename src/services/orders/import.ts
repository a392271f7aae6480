import Papa from "papaparse";
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { isValidEmail, normalizeEmail } from "../../lib/validation";
import { tenantSql } from "../../lib/tenant-sql";
import { getAttributionSettings } from "../settings/attribution";
import { attributedSql, attributionLabel } from "./attribution";

const REQUIRED = ["email", "order_id", "ordered_at", "product_id", "quantity", "price"];
const noControl = /^[^\u0000-\u001f\u007f]*$/;

interface Line {
  line: number;
  email: string;
  orderId: string;
  orderedAt: number;
  productId: string;
  quantity: number;
  price: number;
}

/**
 * Order history from CSV `email,order_id,ordered_at,product_id,quantity,price` (a row per line
 * item; line 1 is the header) for backfill: orders (once per order id: a re-import adds nothing),
 * their lines, then each buyer's purchase count, total and last purchase recomputed from their
 * orders. A row whose date, quantity or price does not parse, or whose address is no contact, is
 * rejected with its line. Rules do not fire for imported history.
 */
export async function importOrders(tenant: Tenant, csv: string) {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = parsed.data;
  const cols = (header ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length)
    return {
      orders: 0,
      lines: 0,
      rejected: [{ line: 1, reason: `the header row lacks ${missing.join(", ")}` }],
    };
  const idx = Object.fromEntries(REQUIRED.map((c) => [c, cols.indexOf(c)])) as Record<string, number>;
  const rejected: { line: number; reason: string }[] = [];
  const lines: Line[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const get = (c: string) => (r[idx[c] as number] ?? "").trim();
    const email = get("email");
    const orderId = get("order_id");
    const productId = get("product_id");
    const orderedAt = Date.parse(get("ordered_at"));
    const quantity = Number(get("quantity") || "1");
    const price = Number(get("price"));
    const reason = !isValidEmail(email)
      ? "invalid email"
      : !orderId || orderId.length > 200 || !noControl.test(orderId)
        ? "order_id is required (at most 200 characters)"
        : !productId || productId.length > 200 || !noControl.test(productId)
          ? "product_id is required (at most 200 characters)"
          : Number.isNaN(orderedAt)
            ? `ordered_at does not parse: ${get("ordered_at")}`
            : !(Number.isFinite(quantity) && quantity > 0)
              ? `quantity does not parse: ${get("quantity")}`
              : get("price") === "" || !(Number.isFinite(price) && price >= 0)
                ? `price does not parse: ${get("price")}`
                : null;
    if (reason) rejected.push({ line, reason });
    else lines.push({ line, email: normalizeEmail(email), orderId, orderedAt, productId, quantity, price });
  });
  // Contacts by address, 1,000 at a time.
  const emails = [...new Set(lines.map((l) => l.email))];
  const contactOf = new Map<string, string>();
  for (let i = 0; i < emails.length; i += 1000) {
    const res = await tenantSql(
      tenant,
      "SELECT id, email_normalized FROM contacts WHERE organization_id = ?1 AND email_normalized IN (SELECT value FROM json_each(?2))",
      JSON.stringify(emails.slice(i, i + 1000)),
    ).all<{ id: string; email_normalized: string }>();
    for (const c of res.results) contactOf.set(c.email_normalized, c.id);
  }
  // One order per id: its buyer is its first line's; a line naming another buyer is rejected.
  const orders = new Map<
    string,
    { order_id: string; contact_id: string; amount: number; ordered_at: number }
  >();
  const good: (Line & { contactId: string })[] = [];
  for (const l of lines) {
    const contactId = contactOf.get(l.email);
    if (!contactId) {
      rejected.push({ line: l.line, reason: `no contact has the address ${l.email}` });
      continue;
    }
    const o = orders.get(l.orderId);
    if (o && o.contact_id !== contactId) {
      rejected.push({ line: l.line, reason: `order ${l.orderId} belongs to another contact` });
      continue;
    }
    if (o) {
      o.amount += l.quantity * l.price;
      o.ordered_at = Math.min(o.ordered_at, l.orderedAt);
    } else
      orders.set(l.orderId, {
        order_id: l.orderId,
        contact_id: contactId,
        amount: l.quantity * l.price,
        ordered_at: l.orderedAt,
      });
    good.push({ ...l, contactId });
  }
  const at = now();
  const orderList = [...orders.values()].map((o) => ({ ...o, amount: Math.round(o.amount * 100) / 100 }));
  // Each order attributed by its own date (an import of past orders credits the emails of then).
  const rule = await getAttributionSettings(tenant);
  const row = { org: "o.organization_id", contact: "o.contact_id", at: "o.ordered_at" };
  for (let i = 0; i < orderList.length; i += 500)
    await tenantSql(
      tenant,
      `INSERT INTO orders (organization_id, order_id, contact_id, amount, currency, ordered_at, source, event_id, created_at,
           attributed_message_id, attributed_at, attribution)
         SELECT o.*, ${attributedSql(rule, row, "id")}, ${attributedSql(rule, row, "at")}, ?4
         FROM (SELECT ?1 AS organization_id, j.value ->> 'order_id' AS order_id, j.value ->> 'contact_id' AS contact_id,
             j.value ->> 'amount' AS amount, NULL AS currency, j.value ->> 'ordered_at' AS ordered_at, 'import' AS source,
             NULL AS event_id, ?2 AS created_at
           FROM json_each(?3) AS j) o
         WHERE true ON CONFLICT DO NOTHING`,
      at,
      JSON.stringify(orderList.slice(i, i + 500)),
      attributionLabel(rule),
    ).run();
  // The same product twice in one order is one line with both quantities.
  const merged = new Map<
    string,
    {
      order_id: string;
      product_id: string;
      contact_id: string;
      quantity: number;
      price: number;
      ordered_at: number;
    }
  >();
  for (const l of good) {
    const key = `${l.orderId}\u0000${l.productId}`;
    const m = merged.get(key);
    if (m) m.quantity += l.quantity;
    else
      merged.set(key, {
        order_id: l.orderId,
        product_id: l.productId,
        contact_id: l.contactId,
        quantity: l.quantity,
        price: l.price,
        ordered_at: orders.get(l.orderId)?.ordered_at ?? l.orderedAt,
      });
  }
  const lineRows = [...merged.values()];
  for (let i = 0; i < lineRows.length; i += 500)
    await tenantSql(
      tenant,
      `INSERT INTO order_lines (organization_id, order_id, product_id, contact_id, quantity, price, ordered_at)
         SELECT ?1, j.value ->> 'order_id', j.value ->> 'product_id', j.value ->> 'contact_id', j.value ->> 'quantity',
           j.value ->> 'price', j.value ->> 'ordered_at'
         FROM json_each(?2) AS j WHERE true ON CONFLICT DO NOTHING`,
      JSON.stringify(lineRows.slice(i, i + 500)),
    ).run();
  const buyers = [...new Set(orderList.map((o) => o.contact_id))];
  for (let i = 0; i < buyers.length; i += 500)
    await tenantSql(
      tenant,
      `UPDATE contacts SET purchase_count = s.n, total_spent = s.total, last_purchase_at = s.last, updated_at = ?2
         FROM (SELECT contact_id, count(*) AS n, sum(amount) AS total, max(ordered_at) AS last FROM orders
               WHERE organization_id = ?1 AND contact_id IN (SELECT value FROM json_each(?3)) GROUP BY contact_id) AS s
         WHERE contacts.organization_id = ?1 AND contacts.id = s.contact_id`,
      at,
      JSON.stringify(buyers.slice(i, i + 500)),
    ).run();
  rejected.sort((a, b) => a.line - b.line);
  return { orders: orderList.length, lines: good.length, rejected };
}
