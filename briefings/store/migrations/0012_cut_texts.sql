-- Articles whose text was cut to the stored maximum (briefings.derive.MAX_STORED_TEXT_CHARS) when
-- imported, so that export can say which texts are not whole. Few are, so a table of their ids
-- rather than a column on every article.
CREATE TABLE IF NOT EXISTS cut_texts (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
);
