ALTER TABLE `campaigns` ADD `test_resolved_at` integer;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `decide_at` integer;