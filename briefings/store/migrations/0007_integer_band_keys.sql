-- Signature band keys become integers (see briefings.signature.bands): the band index shrinks by
-- almost half. Each batch of new articles writes bands all over that index, so its commits write
-- fewer pages. Stored keys are rewritten to the integers the new code computes for the same bands.
CREATE TABLE signature_bands_by_number (
    band INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;
INSERT INTO signature_bands_by_number (band, article_id)
    SELECT band_key_of_text(band), article_id FROM signature_bands ORDER BY 1, 2;
DROP TABLE signature_bands;
ALTER TABLE signature_bands_by_number RENAME TO signature_bands;
