import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getUser, userView } from "../../services/users/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { User } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/users/{id}",
  operationId: "getUser",
  tags: ["Team"],
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(User, "The team member"), 404: errors[404] },
});

export const registerGetUser = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(userView(await getUser(c.get("tenant"), c.req.valid("param").id)), 200),
  );
