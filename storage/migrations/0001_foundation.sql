-- Foundation: people who talk to the bot, the update inbox, PTB persistence, drafts.
-- Times are UTC ISO-8601 text.

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,      -- Telegram user id
    first_name        TEXT    NOT NULL,
    last_name         TEXT,
    username          TEXT,
    telegram_language TEXT,                     -- language_code Telegram reports
    language          TEXT,                     -- the user's own choice (/language); NULL until chosen
    first_seen        TEXT    NOT NULL,
    last_seen         TEXT    NOT NULL,
    blocked_at        TEXT                      -- set when a send answered 403; cleared when they write again
);

-- Every update fetched from Telegram is stored here before its offset is confirmed,
-- and marked handled once the Application has processed it (bot/inbox.py).
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    payload     TEXT    NOT NULL,               -- the update as JSON
    received_at TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    handled_at  TEXT,
    outcome     TEXT                            -- 'handled' or 'gave_up'
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE handled_at IS NULL;

-- PTB persistence (storage/persistence.py): JSON documents keyed as PTB keys them.
CREATE TABLE ptb_user_data (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE ptb_chat_data (chat_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE ptb_conversations (
    name  TEXT NOT NULL,                        -- the ConversationHandler's name
    key   TEXT NOT NULL,                        -- JSON list, e.g. [chat_id, user_id]
    state TEXT NOT NULL,                        -- JSON
    PRIMARY KEY (name, key)
);

-- Answers given in a multi-step flow before it is confirmed. Committed the moment the
-- user answers, so nothing typed is lost on a crash (storage/drafts.py).
CREATE TABLE drafts (
    user_id    INTEGER NOT NULL,
    flow       TEXT    NOT NULL,
    data       TEXT    NOT NULL,                -- JSON object
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, flow)
);
