-- Events in (issue 5). Hand-written; the lead folds it into the drizzle snapshot.
-- events.normalized: the normalized event and its effects, written in the same D1 batch as the
-- effects themselves. It marks the event as applied (a redelivery applies nothing twice) and keeps
-- what the subscribers (SequenceDO forwarding, rules engine) receive when they have to run again.
ALTER TABLE `events` ADD `normalized` text;
--> statement-breakpoint
-- events.error: why the EVENTS consumer gave up on an event (dead-letter queue); the raw row stays replayable.
ALTER TABLE `events` ADD `error` text;
--> statement-breakpoint
-- Hot leads (score >= threshold, score descending) and the weekly decay read contacts by score.
CREATE INDEX `contacts_org_score` ON `contacts` (`organization_id`,`score`);
--> statement-breakpoint
-- Forwarding an event to the contact's SequenceDOs looks up its sequences by contact.
CREATE INDEX IF NOT EXISTS `contact_sequences_contact` ON `contact_sequences` (`contact_id`);
