-- A story's copies report one event: each article now carries its story's date, the date of the
-- earliest dated member (see briefings.stories.story_date), so that a reprint months later, or an
-- undated aggregator copy, is dated by the story it copies. `live` marks articles first stored by
-- a feed poll after that feed's first read: only they may count as new by their arrival time.
ALTER TABLE articles ADD COLUMN story_published TEXT;
ALTER TABLE articles ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
-- The member whose latest possible day is earliest; on a tie, the more precise ("2023-05" before
-- "2023"). An ISO prefix's last possible day, for ordering: "2023" -> "2023-12-31", "2023-05" ->
-- "2023-05-31" (a day past a short month's end orders the same).
UPDATE articles SET story_published = (
    SELECT m.published FROM articles m
    WHERE m.story_id = articles.story_id AND m.published IS NOT NULL
    ORDER BY CASE length(m.published) WHEN 4 THEN m.published || '-12-31'
                                      WHEN 7 THEN m.published || '-31'
                                      ELSE m.published END,
             length(m.published) DESC
    LIMIT 1
);
-- Figures and deadlines of one story share its date: the status card's walk reads this column.
UPDATE facts SET published = (SELECT a.story_published FROM articles a WHERE a.id = facts.article_id);
-- Stored articles were derived under rules older than any numbered version (see
-- briefings.derive.RULES_VERSION): `kfor-bot rederive` brings them up to date.
INSERT OR IGNORE INTO meta (key, value) SELECT 'rules_version', '0' WHERE EXISTS (SELECT 1 FROM articles);
