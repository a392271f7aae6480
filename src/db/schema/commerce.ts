import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

/** The organization's catalogue, keyed by its own product id (or SKU). */
export const products = sqliteTable(
  "products",
  {
    organizationId: organizationId(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    category: text("category"),
    price: real("price"),
    currency: text("currency"),
    url: text("url"),
    imageUrl: text("image_url"),
    available: integer("available", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

/** One row per order id: a purchase counts once whatever the retries. */
export const orders = sqliteTable(
  "orders",
  {
    organizationId: organizationId(),
    orderId: text("order_id").notNull(),
    contactId: text("contact_id").notNull(),
    amount: real("amount").notNull(),
    currency: text("currency"),
    orderedAt: integer("ordered_at").notNull(),
    /** "event" (POST /api/v1/events) or "import". */
    source: text("source").notNull(),
    /** The event that recorded it: the one purchase event rules fire for. */
    eventId: text("event_id"),
    createdAt: createdAt(),
    /**
     * The message the order is attributed to (the contact's last human click, or touch, within the
     * window before it), decided once when the order is recorded: later setting changes do not
     * rewrite it. Null: no message earned it.
     */
    attributedMessageId: text("attributed_message_id"),
    /** When that click or open happened. */
    attributedAt: integer("attributed_at"),
    /** The rule it was decided by, e.g. `last_click:5d`. */
    attribution: text("attribution"),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.orderId] }),
    index("orders_contact").on(t.organizationId, t.contactId),
    index("orders_attributed")
      .on(t.organizationId, t.attributedMessageId)
      .where(sql`attributed_message_id IS NOT NULL`),
    index("orders_ordered_at").on(t.organizationId, t.orderedAt),
  ],
);

export const orderLines = sqliteTable(
  "order_lines",
  {
    organizationId: organizationId(),
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    contactId: text("contact_id").notNull(),
    quantity: real("quantity").notNull().default(1),
    price: real("price"),
    orderedAt: integer("ordered_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.orderId, t.productId] }),
    index("order_lines_contact").on(t.organizationId, t.contactId),
  ],
);

/** Products bought together, the top ones per product, recomputed with RFM. */
export const productPairs = sqliteTable(
  "product_pairs",
  {
    organizationId: organizationId(),
    productId: text("product_id").notNull(),
    relatedId: text("related_id").notNull(),
    /** Orders holding both. */
    orders: integer("orders").notNull(),
    /** P(both) / (P(product) * P(related)). */
    lift: real("lift").notNull(),
    rank: integer("rank").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.productId, t.relatedId] })],
);
