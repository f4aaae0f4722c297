-- The cluster's Telegram channel or group, linked by a facilitator for the newsletter
-- (conversations/newsletter), and the newsletters sent.
CREATE TABLE cluster_channels (
    cluster_id INTEGER PRIMARY KEY REFERENCES clusters (id),
    chat_id    INTEGER NOT NULL,               -- Telegram's id of the channel or group (negative)
    title      TEXT    NOT NULL,
    chat_type  TEXT    NOT NULL CHECK (chat_type IN ('channel', 'group', 'supergroup')),
    linked_by  INTEGER NOT NULL REFERENCES users (id),
    linked_at  TEXT    NOT NULL                -- UTC
);

CREATE TABLE newsletters (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    sender_id        INTEGER NOT NULL REFERENCES users (id),
    title            TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    text_html        TEXT    NOT NULL,         -- the post as it goes out (title, body, the cluster's figures)
    chat_id          INTEGER,                  -- where it was posted; NULL for a PDF only
    attempts         INTEGER NOT NULL DEFAULT 0,  -- outbox batches "newsletter:<id>:<attempt>"
    created_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE            -- the confirming update: a replay sends nothing twice
);
CREATE INDEX newsletters_by_cluster ON newsletters (cluster_id, id);
