-- Stem English words as SQLite's FTS5 index does (its 'porter' tokenizer): Snowball's "porter"
-- is that algorithm, where "english" (Porter2) stems a few forms apart from it ("news" and "new",
-- "generous" and "general" share a stem in one and not in the other), so the two stores found
-- different reports for such words.
ALTER TEXT SEARCH DICTIONARY kfor_stem (LANGUAGE = porter);
-- Stored search documents keep the old stems until `kfor-bot rederive` writes them again (from
-- the folded texts, which only the bot makes): commands say so meanwhile.
UPDATE meta SET value = '0' WHERE key = 'rules_version';
