-- Scenario engine (issue 3). Hand-written; the lead folds it into the drizzle snapshot.
-- scenarios.started_at: first draft -> active transition.
ALTER TABLE `scenarios` ADD `started_at` integer;
--> statement-breakpoint
-- scenarios.enrollment_done_at: set when the ENROLL page scan has walked every contact (progress).
ALTER TABLE `scenarios` ADD `enrollment_done_at` integer;
--> statement-breakpoint
-- contact_sequences.revision: the SequenceDO state revision the row mirrors (guards out-of-order writes).
ALTER TABLE `contact_sequences` ADD `revision` integer DEFAULT 0 NOT NULL;
