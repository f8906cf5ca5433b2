-- Work that several `kfor-bot run` processes share: who holds a feed's poll or a briefing's
-- delivery, and until when. A process that dies leaves its lease to expire; another then takes it.
ALTER TABLE feeds ADD COLUMN lease_owner TEXT;
ALTER TABLE feeds ADD COLUMN lease_until TEXT;
ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;
ALTER TABLE deliveries ADD COLUMN lease_until TEXT;

-- Chat requests already handled (a Slack retry or replay carries the same key), kept until they expire.
CREATE TABLE handled_requests (
    key TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX handled_requests_expiry ON handled_requests (expires_at);
