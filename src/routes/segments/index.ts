import type { App } from "../../app-env";
import { registerSegmentCrud } from "./crud";
import { registerSegmentMembers } from "./members";
import { registerSegmentReads } from "./read";

/** Segments (API.md): CRUD, preview, members of static segments, contacts, export, stats. */
export function registerSegmentRoutes(app: App) {
  // preview before /{id} so the literal path wins
  registerSegmentReads(app);
  registerSegmentCrud(app);
  registerSegmentMembers(app);
}
