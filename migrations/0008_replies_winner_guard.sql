ALTER TABLE `messages` ADD `replied_at` integer;--> statement-breakpoint
ALTER TABLE `scenario_steps` ADD `auto_winner` text;--> statement-breakpoint
ALTER TABLE `scenario_steps` ADD `winner` text;--> statement-breakpoint
ALTER TABLE `scenarios` ADD `paused_reason` text;--> statement-breakpoint
ALTER TABLE `step_variants` ADD `replied` integer DEFAULT 0 NOT NULL;