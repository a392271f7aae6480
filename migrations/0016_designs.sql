-- Email designs (issue 26): a template can hold a design (JSON blocks rendered to its html and text) and a preheader.
ALTER TABLE `templates` ADD `design` text;--> statement-breakpoint
ALTER TABLE `templates` ADD `preheader` text;