-- The reminder engine (bot/reminders.py): messages due at a time, kept until they are done.

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,   -- e.g. meeting:42:reminder:24h:user:1001; scheduling it again is a no-op
    kind        TEXT    NOT NULL,          -- which registered handler sends it
    due_at      TEXT    NOT NULL,          -- UTC
    expires_at  TEXT,                      -- after this it is skipped, not sent late (NULL: never)
    payload     TEXT    NOT NULL,          -- JSON for the handler
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'claimed', 'sent', 'skipped', 'cancelled', 'failed')),
    outcome     TEXT,                      -- what happened, in a few words (for the log and reports)
    created_at  TEXT    NOT NULL,
    done_at     TEXT
);
CREATE INDEX reminders_pending ON reminders (due_at) WHERE status = 'pending';
