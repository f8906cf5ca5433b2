-- The status card finds every deadline still ahead, however long ago it was announced, without
-- reading the whole history of facts.
CREATE INDEX facts_by_kind_value ON facts (kind, value);
