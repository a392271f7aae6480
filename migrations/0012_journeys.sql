-- Journeys (issue 25): a scenario's journey as a graph, and runs. Both new tables WITHOUT ROWID, keyed by what is looked up.
CREATE TABLE `journey_runs` (
	`scenario_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`run_no` integer NOT NULL,
	`organization_id` text NOT NULL,
	`status` text NOT NULL,
	`node_id` text,
	`reason` text,
	`path` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	PRIMARY KEY(`scenario_id`, `contact_id`, `run_no`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `scenario_flows` (
	`scenario_id` text NOT NULL,
	`version` integer NOT NULL,
	`organization_id` text NOT NULL,
	`source` text NOT NULL,
	`flow` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`scenario_id`, `version`)
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `contact_sequences` ADD `run_no` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `contact_sequences` ADD `node_id` text;--> statement-breakpoint
ALTER TABLE `contact_sequences` ADD `run_started_at` integer;--> statement-breakpoint
ALTER TABLE `contact_sequences` ADD `path` text;--> statement-breakpoint
ALTER TABLE `scenarios` ADD `entry` text;--> statement-breakpoint
ALTER TABLE `scenarios` ADD `listens` text DEFAULT '[]' NOT NULL;