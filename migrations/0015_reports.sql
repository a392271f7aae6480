-- Reports (issue 28): closed days' counters per organization and per campaign, scenario and template, keyed by what reports read. WITHOUT ROWID.
CREATE TABLE `report_days` (
	`organization_id` text NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`group_id` text DEFAULT '' NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`opened` integer DEFAULT 0 NOT NULL,
	`clicked` integer DEFAULT 0 NOT NULL,
	`bounced` integer DEFAULT 0 NOT NULL,
	`complained` integer DEFAULT 0 NOT NULL,
	`unsubscribed` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`revenue` real DEFAULT 0 NOT NULL,
	`new_contacts` integer DEFAULT 0 NOT NULL,
	`timezone` text NOT NULL,
	PRIMARY KEY(`organization_id`, `day`, `kind`, `group_id`)
) WITHOUT ROWID;
