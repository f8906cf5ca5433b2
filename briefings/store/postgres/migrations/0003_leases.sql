-- The SQLite store's migration 0013 for PostgreSQL: work that several `kfor-bot run` processes
-- share (who holds a feed's poll or a briefing's delivery, and until when), and the chat requests
-- already handled (a Slack retry or replay carries the same key), kept until they expire.
ALTER TABLE feeds ADD COLUMN lease_owner TEXT COLLATE "C";
ALTER TABLE feeds ADD COLUMN lease_until TEXT COLLATE "C";
ALTER TABLE deliveries ADD COLUMN lease_owner TEXT COLLATE "C";
ALTER TABLE deliveries ADD COLUMN lease_until TEXT COLLATE "C";

CREATE TABLE handled_requests (
    key TEXT COLLATE "C" PRIMARY KEY,
    expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX handled_requests_expiry ON handled_requests (expires_at);
