-- Each article's lead (the 4-grams of its first words, as 16-bit values) for grouping copies that
-- share the story's beginning; its lead keys go to signature_bands under a band number of their
-- own (see briefings.signature). Articles stored before this version have none until re-derived.
CREATE TABLE IF NOT EXISTS story_leads (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    lead BLOB NOT NULL
);
