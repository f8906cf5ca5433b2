-- Each article's lead (the 4-grams of its first words, as 16-bit values) for grouping copies that
-- share the story's beginning, its sentences' word stems for grouping copies that say the
-- story's sentences in order, and its figures, which copies keep; the keys of the lead and the
-- sentences go to signature_bands under band numbers of their own (see briefings.signature).
-- Articles stored before this version have none until re-derived.
CREATE TABLE story_leads (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    lead BLOB NOT NULL,
    sentences BLOB,
    figures BLOB
);
-- The dateline trimmed from an article's text ("JARINJE, Kosovo (Reuters)"): where and through
-- whom it was filed. Re-deriving a stored article reads it back (briefings.text.with_dateline).
ALTER TABLE articles ADD COLUMN dateline TEXT;
