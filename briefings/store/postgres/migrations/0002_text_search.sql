-- Full-text search with PostgreSQL's own text search, matching what SQLite's FTS5 index
-- ('porter unicode61 remove_diacritics 2') finds: English stems, no stop words dropped (the
-- query drops its own, briefings.query.STOPWORDS), and letters with or without diacritics alike
-- ("Mitrovicë", "Mitrovica"; "Zvečan", "Zvecan"), through the unaccent extension.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH DICTIONARY kfor_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION kfor_search (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION kfor_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH kfor_stem;
ALTER TEXT SEARCH CONFIGURATION kfor_search
    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, kfor_stem;
-- Each article's folded title (weight A) and text (weight D): searches rank with ts_rank,
-- title above text as in SQLite's bm25 weights (briefings.store.search.TITLE_WEIGHT).
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
);
CREATE INDEX article_search_document ON article_search USING GIN (document);
