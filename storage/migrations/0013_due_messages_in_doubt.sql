-- A due message caught mid-send by a crash may or may not have gone out: it is now recorded as
-- 'unknown' (not 'failed'), apart from those that surely failed. The reminder engine claims one
-- row at a time, right before its handler runs, so at most the one in flight is in doubt.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.

CREATE TABLE reminders_new (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,   -- e.g. meeting:42:reminder:24h:user:1001; scheduling it again is a no-op
    kind        TEXT    NOT NULL,          -- which registered handler sends it
    due_at      TEXT    NOT NULL,          -- UTC
    expires_at  TEXT,                      -- after this it is skipped, not sent late (NULL: never)
    payload     TEXT    NOT NULL,          -- JSON for the handler
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'claimed', 'sent', 'skipped', 'cancelled', 'failed', 'unknown')),
    outcome     TEXT,                      -- what happened, in a few words (for the log and reports)
    created_at  TEXT    NOT NULL,
    done_at     TEXT
);
INSERT INTO reminders_new (id, key, kind, due_at, expires_at, payload, status, outcome, created_at, done_at)
    SELECT id, key, kind, due_at, expires_at, payload, status, outcome, created_at, done_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_pending ON reminders (due_at) WHERE status = 'pending';
