import type { App } from "../../app-env";
import { registerAddSegmentMembers } from "./add-members";
import { registerCreateSegment } from "./create";
import { registerDeleteSegment } from "./delete";
import { registerExportSegment } from "./export";
import { registerGetSegment } from "./get";
import { registerListSegments } from "./list";
import { registerListSegmentContacts } from "./list-contacts";
import { registerPreviewSegment } from "./preview";
import { registerRemoveSegmentMembers } from "./remove-members";
import { registerSegmentStats } from "./stats";
import { registerUpdateSegment } from "./update";

/** Segments (API.md): CRUD, preview, members of static segments, contacts, export, stats. */
export function registerSegmentRoutes(app: App) {
  // preview before /{id} so the literal path wins
  registerPreviewSegment(app);
  registerListSegmentContacts(app);
  registerExportSegment(app);
  registerSegmentStats(app);
  registerCreateSegment(app);
  registerListSegments(app);
  registerGetSegment(app);
  registerUpdateSegment(app);
  registerDeleteSegment(app);
  registerAddSegmentMembers(app);
  registerRemoveSegmentMembers(app);
}
