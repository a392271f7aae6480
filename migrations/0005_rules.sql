-- Automation rules (issue 6). Hand-written; the lead folds it into the drizzle snapshot.
-- rules.trigger_config: {threshold} for lead_score_high, {tag} for tag_added.
ALTER TABLE `rules` ADD `trigger_config` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
-- rule_runs: the contact and trigger for display, the event and the rule's actions as they were when
-- the rule matched (delayed actions run against these), and the lease of the worker running it.
ALTER TABLE `rule_runs` ADD `contact_id` text;
--> statement-breakpoint
ALTER TABLE `rule_runs` ADD `trigger` text;
--> statement-breakpoint
ALTER TABLE `rule_runs` ADD `event` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE `rule_runs` ADD `plan` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `rule_runs` ADD `claimed_until` integer;
--> statement-breakpoint
-- One run per (rule, event): a redelivered event finds its run rather than running the rule twice.
-- Its rule_id prefix also serves GET /rules/:id/runs, so the plain rule_id index goes.
DROP INDEX IF EXISTS `rule_runs_rule`;
--> statement-breakpoint
CREATE UNIQUE INDEX `rule_runs_rule_event` ON `rule_runs` (`rule_id`,`event_id`);
