-- Snippets (issue 26): reusable HTML with Liquid, rendered in templates by {% render 'name' %}; names unique per organization.
CREATE TABLE `snippets` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`html` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `snippets_org_name` ON `snippets` (`organization_id`,`name`);