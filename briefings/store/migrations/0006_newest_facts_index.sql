-- The status card walks the newest facts of the kinds it shows: KFOR's strength, reinforcements
-- and deadlines. Each fact now carries its article's date, so that the walk reads an index of just
-- those facts, newest first, instead of every article by date and then each one's facts.
-- briefings.engine.recent names the same kinds, in the same order, in its query.
ALTER TABLE facts ADD COLUMN published TEXT;
UPDATE facts SET published = (SELECT a.published FROM articles a WHERE a.id = facts.article_id);
CREATE INDEX facts_newest_for_status ON facts (published DESC, id)
    WHERE kind IN ('kfor_troops', 'troop_increase', 'deadline');
