import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Db } from "./db/client";
import type { Tenant } from "./lib/tenant";
import type { UiSession } from "./services/app/sessions";
import type { Page } from "./ui/app/page";

/** Hono generics shared by the app and every route. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** This request's id: the X-Request-Id header and every error envelope carry it. */
    requestId: string;
    db: Db;
    tenant: Tenant;
    /** The team member the API key is bound to ("me"), if any. */
    userId: string | null;
    apiKeyId: string;
    /** The web UI session (routes/app). */
    uiSession: UiSession;
    /** The web UI page context (words, timezone, CSRF token, assets), set before a page renders. */
    page: Page;
  };
}

export type App = OpenAPIHono<AppEnv>;

declare module "hono" {
  /** c.render(page, { title }): the web UI's pages, in AppLayout (ui/app/renderer.tsx). */
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: an interface, so that it merges with hono's.
    (content: string | Promise<string>, props: { title: string }): Response | Promise<Response>;
  }
}
