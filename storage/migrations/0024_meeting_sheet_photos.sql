-- Photos of a meeting's signed attendance sheet (the paper the bot printed), in the order sent; the
-- attendance download carries them. A photo that arrives twice (the inbox replays an update after a
-- crash) is kept once: Telegram's file_unique_id names the file itself.
CREATE TABLE meeting_sheet_photos (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id),
    position       INTEGER NOT NULL,                   -- 1, 2, ... within the meeting
    kind           TEXT    NOT NULL CHECK (kind IN ('photo', 'document')),
    file_id        TEXT    NOT NULL,
    file_unique_id TEXT    NOT NULL,
    added_by       INTEGER NOT NULL REFERENCES users (id),
    added_at       TEXT    NOT NULL,
    UNIQUE (meeting_id, position),
    UNIQUE (meeting_id, file_unique_id)
);
