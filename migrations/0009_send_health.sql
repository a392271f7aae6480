CREATE TABLE `send_health` (
	`organization_id` text NOT NULL,
	`scope_id` text NOT NULL,
	`day` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`bounced` integer DEFAULT 0 NOT NULL,
	`complained` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organization_id`, `scope_id`, `day`)
) WITHOUT ROWID;
