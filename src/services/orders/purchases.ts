import { eq, sql, type SQL } from "drizzle-orm";
import type { NormalizedEvent } from "../../contracts/events";
import { contacts, orderLines, orders } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import type { AttributionSettings } from "../settings/attribution";
import { attributedSql, attributionLabel } from "./attribution";

export interface PurchaseItem {
  product_id: string;
  quantity?: number;
  price?: number;
}

const ORDER_ROW = { org: "o.organization_id", contact: "o.contact_id", at: "o.ordered_at" };

/** The order a purchase event names (its order_id, or the event itself when it has none). */
export function orderOf(e: NormalizedEvent) {
  const p = e.properties;
  const orderId = typeof p.order_id === "string" && p.order_id ? p.order_id : `event:${e.id}`;
  const amount = typeof p.amount === "number" && Number.isFinite(p.amount) ? p.amount : 0;
  const items = Array.isArray(p.items)
    ? (p.items as PurchaseItem[]).filter((i) => i && typeof i.product_id === "string" && i.product_id)
    : [];
  return { orderId, amount, currency: typeof p.currency === "string" ? p.currency : null, items };
}

/**
 * A purchase event's statements, in the event's batch: the order (once per order_id: a retry or a
 * second event for the same order inserts nothing), its lines, and the contact's purchase count,
 * total and last purchase, only when this event is the one that recorded the order.
 */
export function purchaseStatements(
  tenant: Tenant,
  e: NormalizedEvent,
  contactId: string,
  guard: SQL,
  at: number,
  rule: AttributionSettings,
) {
  const { db } = tenant;
  const o = orderOf(e);
  const mine = sql`exists (select 1 from orders o where o.organization_id = ${tenant.orgId} and o.order_id = ${o.orderId} and o.event_id = ${e.id})`;
  const lines = JSON.stringify(
    o.items.slice(0, 500).map((i) => ({
      product_id: String(i.product_id).slice(0, 200),
      quantity: typeof i.quantity === "number" && i.quantity > 0 ? i.quantity : 1,
      price: typeof i.price === "number" ? i.price : null,
    })),
  );
  // Query builders (the EVENTS consumer builds and binds them with the event's other writes).
  // Columns in table order.
  return [
    db
      .insert(orders)
      .select(
        // The order's row as a derived table, so the attribution subqueries read its columns.
        sql`SELECT o.*, ${sql.raw(attributedSql(rule, ORDER_ROW, "id"))}, ${sql.raw(attributedSql(rule, ORDER_ROW, "at"))}, ${attributionLabel(rule)}
          FROM (SELECT ${tenant.orgId} AS organization_id, ${o.orderId} AS order_id, ${contactId} AS contact_id, ${o.amount} AS amount,
            ${o.currency} AS currency, ${e.occurred_at} AS ordered_at, 'event' AS source, ${e.id} AS event_id, ${at} AS created_at) o
          WHERE ${guard}`,
      )
      .onConflictDoNothing(),
    db
      .insert(orderLines)
      .select(
        sql`SELECT ${tenant.orgId}, ${o.orderId}, j.value ->> 'product_id', ${contactId}, j.value ->> 'quantity', j.value ->> 'price', ${e.occurred_at}
          FROM json_each(${lines}) AS j WHERE ${mine}`,
      )
      .onConflictDoNothing(),
    db
      .update(contacts)
      .set({
        purchaseCount: sql`${contacts.purchaseCount} + 1`,
        totalSpent: sql`${contacts.totalSpent} + ${o.amount}`,
        lastPurchaseAt: sql`max(coalesce(${contacts.lastPurchaseAt}, 0), ${e.occurred_at})`,
        updatedAt: at,
      })
      .where(scoped(tenant, contacts, eq(contacts.id, contactId), mine, guard)),
  ];
}

/** Whether this purchase event is the one its order was recorded by (rules fire for that one only). */
export async function recordedOrder(tenant: Tenant, e: NormalizedEvent): Promise<boolean> {
  const row = await tenantSql(
    tenant,
    "SELECT event_id FROM orders WHERE organization_id = ?1 AND order_id = ?2",
    orderOf(e).orderId,
  ).first<{ event_id: string | null }>();
  return !row || row.event_id === e.id;
}
