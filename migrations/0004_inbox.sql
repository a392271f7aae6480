-- Team inbox and reminders (issue 7). Hand-written; the lead folds it into the drizzle snapshot.
-- Partial index for the reminder cron: only interactions whose reminder is armed are indexed, so the
-- job reads just the due rows, and D1 writes an index entry only while a reminder is pending.
-- The cron's WHERE repeats this predicate literally so SQLite can use the index.
CREATE INDEX `interactions_reminder_due` ON `interactions` (`next_action_at`) WHERE notified_at IS NULL AND assignee_id IS NOT NULL AND status <> 'done';
