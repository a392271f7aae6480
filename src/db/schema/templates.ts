import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const templates = sqliteTable("templates", {
  id: text("id").primaryKey(),
  organizationId: organizationId(),
  name: text("name").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text"),
  /** A design's JSON (services/designs/schema.ts); html and text are rendered from it. Null: raw HTML. */
  design: text("design"),
  /** Preview text shown after the subject in the inbox (a design renders it hidden at the top). */
  preheader: text("preheader"),
  /** The language this template is written in (BCP 47). */
  locale: text("locale"),
  /** JSON {language: template id}: a contact whose locale matches gets that template instead. */
  translations: text("translations"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Images uploaded for designs: the bytes in R2 (binding ASSET_BUCKET, key = id), served at /i/:id. */
export const assets = sqliteTable(
  "assets",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("assets_org").on(t.organizationId, t.id)],
);

/** Reusable pieces of HTML with Liquid, used in templates by `{% render 'name' %}`. */
export const snippets = sqliteTable(
  "snippets",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    html: text("html").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("snippets_org_name").on(t.organizationId, t.name)],
);
