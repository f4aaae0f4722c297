-- The outbox (bot/outbox.py): one row per recipient of a batch, sent within Telegram's limits.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    batch           TEXT    NOT NULL,          -- e.g. "broadcast:5"
    recipient_id    INTEGER NOT NULL,          -- chat id
    payload         TEXT    NOT NULL,          -- JSON: what to send (bot/outbox.py Payload)
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'blocked', 'not_started', 'failed', 'unknown', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,          -- UTC; retries wait here
    reason          TEXT,                      -- why it failed, in a few words
    message_id      INTEGER,                   -- Telegram's id of the delivered message
    updated_at      TEXT    NOT NULL,
    UNIQUE (batch, recipient_id)               -- a recipient is in a batch once: a replay adds nothing
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_by_batch ON outbox (batch, status);

-- Broadcasts composed by facilitators, group leaders and secretaries (conversations/broadcasts).
CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    cluster_id        INTEGER NOT NULL REFERENCES clusters (id),
    sender_id         INTEGER NOT NULL REFERENCES users (id),
    content           TEXT    NOT NULL,        -- JSON: kind, text/caption HTML, file_id, button
    audience          TEXT    NOT NULL,        -- JSON
    urgent            INTEGER NOT NULL DEFAULT 0,
    status            TEXT    NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    send_at           TEXT    NOT NULL,        -- UTC
    report_message_id INTEGER,                 -- the sender's progress message, edited as delivery goes
    created_at        TEXT    NOT NULL,
    source_update_id  INTEGER UNIQUE
);

-- Members who do not want non-urgent broadcasts of a cluster.
CREATE TABLE broadcast_mutes (
    cluster_id INTEGER NOT NULL REFERENCES clusters (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    muted_at   TEXT    NOT NULL,
    PRIMARY KEY (cluster_id, user_id)
);
