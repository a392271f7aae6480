-- The inbox items WITHOUT ROWID, keyed by their id (issue 30): an insert (an email's first open, a
-- reply) wrote the row, the rowid table's automatic index on the text id and the inbox's index; it
-- now writes the row and the inbox's index. Columns, data and indexes are unchanged.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`contact_id` text,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`body` text,
	`status` text DEFAULT 'todo' NOT NULL,
	`assignee_id` text,
	`next_action_at` integer,
	`notified_at` integer,
	`message_id` text,
	`scenario_id` text,
	`rule_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_interactions`("id", "organization_id", "contact_id", "type", "title", "body", "status", "assignee_id", "next_action_at", "notified_at", "message_id", "scenario_id", "rule_id", "created_at", "updated_at") SELECT "id", "organization_id", "contact_id", "type", "title", "body", "status", "assignee_id", "next_action_at", "notified_at", "message_id", "scenario_id", "rule_id", "created_at", "updated_at" FROM `interactions`;--> statement-breakpoint
DROP TABLE `interactions`;--> statement-breakpoint
ALTER TABLE `__new_interactions` RENAME TO `interactions`;--> statement-breakpoint
CREATE INDEX `interactions_org_next_action` ON `interactions` (`organization_id`,`next_action_at`);--> statement-breakpoint
CREATE INDEX `interactions_reminder_due` ON `interactions` (`next_action_at`) WHERE notified_at IS NULL AND assignee_id IS NOT NULL AND status <> 'done';--> statement-breakpoint
PRAGMA foreign_keys=ON;
