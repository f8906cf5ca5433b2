-- Each fact says whose figure it is (`owner`: "KFOR", or the group a casualty count belongs to),
-- what it counts (`noun`), the date its own sentence gives it (`as_of`, e.g. "1999" for a past
-- strength; NULL when it is as of its report), where its span starts in its sentence
-- (`span_start`), and whether its article carries a topic (`on_topic`): the status card and a
-- brief's figures read only on-topic facts. Rows stored before this keep the old rules' meaning
-- (troop figures were always read as KFOR's) until `kfor-bot rederive` reads them again.
ALTER TABLE facts ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE facts ADD COLUMN noun TEXT NOT NULL DEFAULT '';
ALTER TABLE facts ADD COLUMN as_of TEXT;
ALTER TABLE facts ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facts ADD COLUMN on_topic INTEGER NOT NULL DEFAULT 1;
UPDATE facts SET owner = 'KFOR' WHERE kind IN ('kfor_troops', 'troop_increase', 'countries');
UPDATE facts SET on_topic = 0
    WHERE article_id IN (SELECT id FROM articles WHERE topics = '[]');
-- The status walk reads only on-topic facts: its partial index holds just those.
-- briefings.engine.recent repeats this condition, literally, in its query.
DROP INDEX facts_newest_for_status;
CREATE INDEX facts_newest_for_status ON facts (published DESC, id)
    WHERE kind IN ('kfor_troops', 'troop_increase', 'deadline') AND on_topic = 1;
