-- Sending for developers and deliverability (issue 27): /send idempotency, sending domains and their warm-up counters, the suppression list's address and source. Composite-key tables WITHOUT ROWID.
CREATE TABLE `domain_daily_counters` (
	`domain_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`domain_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `send_requests` (
	`organization_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`ledger_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `idempotency_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `sending_domains` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`domain` text NOT NULL,
	`provider` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`records` text DEFAULT '[]' NOT NULL,
	`reason` text,
	`checked_at` integer,
	`next_check_at` integer,
	`verified_at` integer,
	`warmup` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sending_domains_org_domain` ON `sending_domains` (`organization_id`,`domain`);--> statement-breakpoint
CREATE INDEX `sending_domains_domain` ON `sending_domains` (`domain`);--> statement-breakpoint
CREATE INDEX `sending_domains_next_check` ON `sending_domains` (`next_check_at`);--> statement-breakpoint
ALTER TABLE `suppressions` ADD `email` text;--> statement-breakpoint
ALTER TABLE `suppressions` ADD `source` text;