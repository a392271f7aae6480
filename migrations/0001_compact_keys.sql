-- Keys that match the lookups, WITHOUT ROWID where the key is the row (D1 bills every index entry
-- written): see the README's Performance section. drizzle-kit generated the table rebuilds; the
-- WITHOUT ROWID clauses and the messages / operation_ledger rebuilds were added by hand.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_score_history` (
	`id` text NOT NULL,
	`organization_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`delta` integer NOT NULL,
	`score_after` integer NOT NULL,
	`cause` text NOT NULL,
	`event_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `contact_id`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_score_history`("id", "organization_id", "contact_id", "delta", "score_after", "cause", "event_id", "created_at") SELECT "id", "organization_id", "contact_id", "delta", "score_after", "cause", "event_id", "created_at" FROM `score_history`;--> statement-breakpoint
DROP TABLE `score_history`;--> statement-breakpoint
ALTER TABLE `__new_score_history` RENAME TO `score_history`;--> statement-breakpoint
CREATE TABLE `__new_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`contact_id` text,
	`scenario_id` text,
	`step_order` integer,
	`variant_name` text,
	`ledger_id` text,
	`provider` text NOT NULL,
	`external_id` text,
	`subject` text,
	`from_email` text,
	`to_email` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`raw` text,
	`sent_at` integer,
	`delivered_at` integer,
	`first_opened_at` integer,
	`last_opened_at` integer,
	`first_clicked_at` integer,
	`last_clicked_at` integer,
	`open_count` integer DEFAULT 0 NOT NULL,
	`machine_open_count` integer DEFAULT 0 NOT NULL,
	`click_count` integer DEFAULT 0 NOT NULL,
	`failure_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "organization_id", "contact_id", "scenario_id", "step_order", "variant_name", "ledger_id", "provider", "external_id", "subject", "from_email", "to_email", "status", "raw", "sent_at", "delivered_at", "first_opened_at", "last_opened_at", "first_clicked_at", "last_clicked_at", "open_count", "machine_open_count", "click_count", "failure_reason", "created_at", "updated_at") SELECT "id", "organization_id", "contact_id", "scenario_id", "step_order", "variant_name", "ledger_id", "provider", "external_id", "subject", "from_email", "to_email", "status", "raw", "sent_at", "delivered_at", "first_opened_at", "last_opened_at", "first_clicked_at", "last_clicked_at", "open_count", "machine_open_count", "click_count", "failure_reason", "created_at", "updated_at" FROM `messages`;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_org_provider_external` ON `messages` (`organization_id`,`provider`,`external_id`);--> statement-breakpoint
CREATE INDEX `messages_org_contact` ON `messages` (`organization_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `__new_operation_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`kind` text DEFAULT 'send' NOT NULL,
	`scenario_id` text,
	`step_order` integer,
	`contact_id` text,
	`variant_name` text,
	`template_id` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`message_id` text,
	`payload` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_operation_ledger`("id", "organization_id", "idempotency_key", "kind", "scenario_id", "step_order", "contact_id", "variant_name", "template_id", "status", "reason", "attempts", "lease_until", "message_id", "payload", "created_at", "updated_at") SELECT "id", "organization_id", "idempotency_key", "kind", "scenario_id", "step_order", "contact_id", "variant_name", "template_id", "status", "reason", "attempts", "lease_until", "message_id", "payload", "created_at", "updated_at" FROM `operation_ledger`;--> statement-breakpoint
DROP TABLE `operation_ledger`;--> statement-breakpoint
ALTER TABLE `__new_operation_ledger` RENAME TO `operation_ledger`;--> statement-breakpoint
CREATE UNIQUE INDEX `operation_ledger_key` ON `operation_ledger` (`idempotency_key`);--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_contact_sequences` (
	`id` text NOT NULL,
	`organization_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`steps_version` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`current_step_order` integer,
	`next_run_at` integer,
	`stop_reason` text,
	`revision` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`scenario_id`, `contact_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_contact_sequences`("id", "organization_id", "scenario_id", "contact_id", "steps_version", "status", "current_step_order", "next_run_at", "stop_reason", "revision", "created_at", "updated_at") SELECT "id", "organization_id", "scenario_id", "contact_id", "steps_version", "status", "current_step_order", "next_run_at", "stop_reason", "revision", "created_at", "updated_at" FROM `contact_sequences`;--> statement-breakpoint
DROP TABLE `contact_sequences`;--> statement-breakpoint
ALTER TABLE `__new_contact_sequences` RENAME TO `contact_sequences`;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`id` text NOT NULL,
	`organization_id` text NOT NULL,
	`source` text NOT NULL,
	`dedup_key` text NOT NULL,
	`type` text NOT NULL,
	`contact_id` text,
	`message_id` text,
	`occurred_at` integer NOT NULL,
	`raw` text NOT NULL,
	`normalized` text,
	`error` text,
	`processed_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_events`("id", "organization_id", "source", "dedup_key", "type", "contact_id", "message_id", "occurred_at", "raw", "normalized", "error", "processed_at", "created_at") SELECT "id", "organization_id", "source", "dedup_key", "type", "contact_id", "message_id", "occurred_at", "raw", "normalized", "error", "processed_at", "created_at" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
CREATE UNIQUE INDEX `events_org_dedup` ON `events` (`organization_id`,`dedup_key`);