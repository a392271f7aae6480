-- Translations: a contact's language (locale) picks a template's translation (templates.translations, {language: template id}); templates.locale says the language a template is written in.
ALTER TABLE `contacts` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `templates` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `templates` ADD `translations` text;