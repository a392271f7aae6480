ALTER TABLE `orders` ADD `attributed_message_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `attributed_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `attribution` text;--> statement-breakpoint
CREATE INDEX `orders_attributed` ON `orders` (`organization_id`,`attributed_message_id`) WHERE attributed_message_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_ordered_at` ON `orders` (`organization_id`,`ordered_at`);