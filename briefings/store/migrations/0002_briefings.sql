-- Each briefing sent to a channel and the points it made, so the next one for that channel says only what is new.
CREATE TABLE briefings (
    id INTEGER PRIMARY KEY,
    workspace TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    window_since TEXT,
    window_until TEXT NOT NULL
);
CREATE INDEX briefings_by_channel ON briefings (workspace, channel, created_at);

-- One row per cited sentence of a point; `point_key` (a hash of the point's folded text) ties a point's rows together.
CREATE TABLE briefing_points (
    briefing_id INTEGER NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    point_key TEXT NOT NULL,
    story_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    sentence_idx INTEGER,
    PRIMARY KEY (briefing_id, point_key, article_id)
) WITHOUT ROWID;

-- Articles without a publication date fall into a briefing window by when they were stored.
CREATE INDEX articles_undated_by_added ON articles (added_at) WHERE published IS NULL;
