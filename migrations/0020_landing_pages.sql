-- Landing pages (issue 26): blocks rendered as a hosted web page at /lp/<organization>/<slug>, slugs unique per organization.
CREATE TABLE `landing_pages` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`title` text,
	`design` text NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `landing_pages_org_slug` ON `landing_pages` (`organization_id`,`slug`);