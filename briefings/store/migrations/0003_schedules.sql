-- Daily briefings per chat channel: the only record of what is scheduled (the scheduler's jobs are rebuilt from it).
CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    workspace TEXT NOT NULL,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    local_time TEXT NOT NULL CHECK (local_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    timezone TEXT NOT NULL,
    topics TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- When it was last set or turned back on: times of day before this are not owed a briefing.
    active_since TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'off')),
    last_result TEXT,
    last_error TEXT,
    last_sent_date TEXT,
    UNIQUE (workspace, platform, channel)
);

-- One row per schedule and local date, claimed before anything is posted: the once-a-day guarantee.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    briefing_id INTEGER REFERENCES briefings (id) ON DELETE SET NULL,
    -- The reply as it was (and will be, after a crash) posted, footer marker included.
    reply TEXT,
    message_id TEXT,
    state TEXT NOT NULL DEFAULT 'claimed' CHECK (state IN ('claimed', 'sent', 'skipped', 'failed')),
    finished_at TEXT,
    UNIQUE (schedule_id, local_date)
);
CREATE INDEX deliveries_unfinished ON deliveries (state) WHERE state = 'claimed';
