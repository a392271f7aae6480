ALTER TABLE `organizations` ADD `previous_webhook_token` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `previous_token_expires_at` integer;--> statement-breakpoint
CREATE INDEX `organizations_previous_webhook_token` ON `organizations` (`previous_webhook_token`);