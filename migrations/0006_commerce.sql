-- Products, orders and co-purchases (RFM). Keyed tables are WITHOUT ROWID (hand-added).
CREATE TABLE `order_lines` (
	`organization_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`quantity` real DEFAULT 1 NOT NULL,
	`price` real,
	`ordered_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `order_id`, `product_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `order_lines_contact` ON `order_lines` (`organization_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`organization_id` text NOT NULL,
	`order_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`amount` real NOT NULL,
	`currency` text,
	`ordered_at` integer NOT NULL,
	`source` text NOT NULL,
	`event_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `order_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `orders_contact` ON `orders` (`organization_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `product_pairs` (
	`organization_id` text NOT NULL,
	`product_id` text NOT NULL,
	`related_id` text NOT NULL,
	`orders` integer NOT NULL,
	`lift` real NOT NULL,
	`rank` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `product_id`, `related_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `products` (
	`organization_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`category` text,
	`price` real,
	`currency` text,
	`url` text,
	`image_url` text,
	`available` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `contacts` ADD `rfm_previous_segment` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `rfm` text;