CREATE TABLE `consent_records` (
	`id` text NOT NULL,
	`organization_id` text NOT NULL,
	`contact_id` text,
	`email_hash` text NOT NULL,
	`type` text NOT NULL,
	`state` text NOT NULL,
	`source` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`double_opt_in` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `consent_records_contact` ON `consent_records` (`organization_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `forms` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`token` text NOT NULL,
	`fields` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`segment_id` text,
	`redirect_url` text,
	`double_opt_in` integer,
	`confirmation_template_id` text,
	`language` text DEFAULT 'en' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forms_token` ON `forms` (`token`);--> statement-breakpoint
CREATE INDEX `forms_org` ON `forms` (`organization_id`);