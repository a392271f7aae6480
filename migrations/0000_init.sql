CREATE TABLE `interactions` (
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
);
--> statement-breakpoint
CREATE INDEX `interactions_org_next_action` ON `interactions` (`organization_id`,`next_action_at`);--> statement-breakpoint
CREATE INDEX `interactions_reminder_due` ON `interactions` (`next_action_at`) WHERE notified_at IS NULL AND assignee_id IS NOT NULL AND status <> 'done';--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`user_id` text NOT NULL,
	`interaction_id` text,
	`title` text NOT NULL,
	`body` text,
	`read_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`organization_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `rule_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`event_id` text,
	`contact_id` text,
	`trigger` text,
	`status` text NOT NULL,
	`actions` text DEFAULT '[]' NOT NULL,
	`event` text DEFAULT '{}' NOT NULL,
	`plan` text DEFAULT '[]' NOT NULL,
	`claimed_until` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rule_runs_rule_event` ON `rule_runs` (`rule_id`,`event_id`);--> statement-breakpoint
CREATE TABLE `rules` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`trigger` text NOT NULL,
	`trigger_config` text DEFAULT '{}' NOT NULL,
	`conditions` text DEFAULT '{}' NOT NULL,
	`actions` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 50 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`stop_processing` integer DEFAULT false NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rules_org_trigger` ON `rules` (`organization_id`,`trigger`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`email` text NOT NULL,
	`email_normalized` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`phone` text,
	`timezone` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'subscribed' NOT NULL,
	`lifecycle_stage` text,
	`score` integer DEFAULT 0 NOT NULL,
	`validation_score` real,
	`deliverable` integer,
	`last_event_at` integer,
	`last_sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_org_email` ON `contacts` (`organization_id`,`email_normalized`);--> statement-breakpoint
CREATE INDEX `contacts_org_score` ON `contacts` (`organization_id`,`score`);--> statement-breakpoint
CREATE TABLE `score_history` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`delta` integer NOT NULL,
	`score_after` integer NOT NULL,
	`cause` text NOT NULL,
	`event_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `score_history_contact` ON `score_history` (`organization_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`email_hash` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_org_hash` ON `suppressions` (`organization_id`,`email_hash`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
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
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_org_dedup` ON `events` (`organization_id`,`dedup_key`);--> statement-breakpoint
CREATE TABLE `messages` (
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
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_provider_external` ON `messages` (`provider`,`external_id`);--> statement-breakpoint
CREATE INDEX `messages_org_contact` ON `messages` (`organization_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `operation_ledger` (
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
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operation_ledger_key` ON `operation_ledger` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `operation_ledger_status_lease` ON `operation_ledger` (`status`,`lease_until`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`user_id` text,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`webhook_token` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_webhook_token` ON `organizations` (`webhook_token`);--> statement-breakpoint
CREATE TABLE `provider_accounts` (
	`organization_id` text NOT NULL,
	`provider` text NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`secret_ciphertext` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`timezone` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `users_org` ON `users` (`organization_id`);--> statement-breakpoint
CREATE TABLE `contact_sequences` (
	`id` text PRIMARY KEY NOT NULL,
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
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_sequences_scenario_contact` ON `contact_sequences` (`scenario_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `contact_sequences_contact` ON `contact_sequences` (`contact_id`);--> statement-breakpoint
CREATE TABLE `scenario_daily_counters` (
	`scenario_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`scenario_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `scenario_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`version` integer NOT NULL,
	`step_order` integer NOT NULL,
	`name` text NOT NULL,
	`trigger` text NOT NULL,
	`parent_step_order` integer,
	`delay_minutes` integer DEFAULT 0 NOT NULL,
	`template_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scenario_steps_version_order` ON `scenario_steps` (`scenario_id`,`version`,`step_order`);--> statement-breakpoint
CREATE TABLE `scenarios` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`provider` text DEFAULT 'log' NOT NULL,
	`from_email` text NOT NULL,
	`from_name` text,
	`reply_to` text,
	`daily_cap` integer,
	`cooldown_days` real,
	`send_window_start` text,
	`send_window_end` text,
	`send_days` text,
	`timezone` text,
	`min_validation_score` real,
	`only_deliverable` integer DEFAULT false NOT NULL,
	`exclude_domains` text DEFAULT '[]' NOT NULL,
	`segment_id` text,
	`stop_on_reply` integer DEFAULT true NOT NULL,
	`stop_on_unsubscribe` integer DEFAULT true NOT NULL,
	`include_unsubscribe` integer DEFAULT true NOT NULL,
	`steps_version` integer DEFAULT 0 NOT NULL,
	`eligible_count` integer DEFAULT 0 NOT NULL,
	`enrolled_count` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`enrollment_done_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `step_variants` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`step_id` text NOT NULL,
	`name` text NOT NULL,
	`template_id` text NOT NULL,
	`weight` real NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`opened` integer DEFAULT 0 NOT NULL,
	`clicked` integer DEFAULT 0 NOT NULL,
	`machine_opened` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `step_variants_step` ON `step_variants` (`step_id`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
