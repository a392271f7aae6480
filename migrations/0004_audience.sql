-- Segments, campaigns and their recipients; contact facts segments read. Keyed tables are WITHOUT ROWID (hand-added).
CREATE TABLE `campaign_link_clicks` (
	`campaign_id` text NOT NULL,
	`url_hash` text NOT NULL,
	`message_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`url` text NOT NULL,
	`clicks` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`campaign_id`, `url_hash`, `message_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `campaign_recipients` (
	`campaign_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`variant_name` text,
	`ledger_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `contact_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`kind` text DEFAULT 'standard' NOT NULL,
	`provider` text DEFAULT 'log' NOT NULL,
	`from_email` text NOT NULL,
	`from_name` text,
	`reply_to` text,
	`template_id` text,
	`variants` text,
	`templates` text,
	`segment_ids` text DEFAULT '[]' NOT NULL,
	`exclude_segment_ids` text DEFAULT '[]' NOT NULL,
	`send_at` integer,
	`timezone` text,
	`utm` text,
	`track_opens` integer DEFAULT true NOT NULL,
	`track_clicks` integer DEFAULT true NOT NULL,
	`auto_winner` text,
	`winner` text,
	`paused_reason` text,
	`cursor` text,
	`resolved_at` integer,
	`queued_count` integer DEFAULT 0 NOT NULL,
	`finished_count` integer DEFAULT 0 NOT NULL,
	`excluded` text DEFAULT '{}' NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `campaigns_org` ON `campaigns` (`organization_id`);--> statement-breakpoint
CREATE INDEX `campaigns_scheduled` ON `campaigns` (`status`,`send_at`);--> statement-breakpoint
CREATE TABLE `segment_members` (
	`segment_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`segment_id`, `contact_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`type` text NOT NULL,
	`criteria` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `segments_org` ON `segments` (`organization_id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `last_opened_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `last_clicked_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `purchase_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `contacts` ADD `total_spent` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `contacts` ADD `last_purchase_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `rfm_segment` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `rfm_score` real;--> statement-breakpoint
ALTER TABLE `contacts` ADD `fit_score` real;--> statement-breakpoint
ALTER TABLE `contacts` ADD `consents` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `campaign_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `unsubscribed_at` integer;--> statement-breakpoint
CREATE INDEX `messages_campaign` ON `messages` (`campaign_id`) WHERE campaign_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `operation_ledger` ADD `campaign_id` text;--> statement-breakpoint
ALTER TABLE `scenarios` ADD `utm` text;