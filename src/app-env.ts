import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Db } from "./db/client";
import type { Tenant } from "./lib/tenant";
import type { UiSession } from "./services/app/sessions";

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
  };
}

export type App = OpenAPIHono<AppEnv>;
