-- The search index no longer keeps its own copy of the folded text (searches rank with bm25 and
-- read snippets from `sentences`): a contentless FTS5 table holds only the index.
CREATE VIRTUAL TABLE article_index USING fts5 (
    title, text, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO article_index (rowid, title, text) SELECT rowid, title, text FROM article_search;
DROP TABLE article_search;
ALTER TABLE article_index RENAME TO article_search;
-- From this version on, `articles.text` holds the text zlib-compressed (a BLOB); rows stored
-- before it keep plain TEXT, and readers accept both (see briefings.store.articles).
