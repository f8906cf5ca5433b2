-- Articles are stored once, keyed by canonical URL or content hash; everything derived from them is stored beside.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    url TEXT,
    title TEXT NOT NULL,
    publisher TEXT,
    published TEXT,
    published_precision TEXT NOT NULL
        CHECK (published_precision IN ('day', 'month', 'year', 'unknown')),
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    signature BLOB NOT NULL,
    story_id INTEGER NOT NULL,
    is_seed INTEGER NOT NULL DEFAULT 0,
    topics TEXT NOT NULL DEFAULT '[]',
    added_at TEXT NOT NULL
);
CREATE INDEX articles_by_published ON articles (published);
CREATE INDEX articles_by_story ON articles (story_id);
CREATE INDEX articles_by_hash ON articles (content_hash);

CREATE TABLE sentences (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    topics TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    sentence_idx INTEGER NOT NULL,
    span TEXT NOT NULL,
    resolved INTEGER NOT NULL
);
CREATE INDEX facts_by_article ON facts (article_id);
CREATE INDEX facts_by_kind ON facts (kind);

-- Locality-sensitive hash bands of each article's MinHash signature: equal bands make republication candidates.
CREATE TABLE signature_bands (
    band TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    workspace TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    failing_since TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll TEXT,
    items_seen INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace, url)
);

CREATE TABLE feed_articles (
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (feed_id, article_id)
) WITHOUT ROWID;
CREATE INDEX feed_articles_by_article ON feed_articles (article_id);

-- Articles a workspace imported from local files (the CLI's `ingest`), outside any feed.
CREATE TABLE imported_articles (
    workspace TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (workspace, article_id)
) WITHOUT ROWID;

-- Who changed which feed, and when: moderators read it with `feeds list --history`.
CREATE TABLE feed_events (
    id INTEGER PRIMARY KEY,
    workspace TEXT NOT NULL,
    url TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX feed_events_by_workspace ON feed_events (workspace, at);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Folded title and text (lowercase, no diacritics, one spelling per place name); rowid is the article id.
CREATE VIRTUAL TABLE article_search USING fts5 (
    title, text, tokenize = 'porter unicode61 remove_diacritics 2'
);
