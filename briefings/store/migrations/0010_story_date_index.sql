-- Windows, "latest" and the timeline read articles by their story's date (a reprint or an undated
-- copy is dated by the earliest dated copy), newest first: this index walks them in that order.
CREATE INDEX articles_by_story_published ON articles (story_published);
