-- Every photo, voice note or document an owner sends as evidence of a progress report (check-in),
-- in the order sent. Before, a check-in held one piece and a second one replaced the first.
-- A piece that arrives twice (the inbox replays an update after a crash) is kept once: Telegram's
-- file_unique_id names the file itself. The one piece kept so far moves here; its unique id was
-- never stored, so its file id stands in for it.
CREATE TABLE plan_evidence (
    id             INTEGER PRIMARY KEY,
    checkin_id     INTEGER NOT NULL REFERENCES plan_checkins (id),
    position       INTEGER NOT NULL,                   -- 1, 2, ... within the check-in
    kind           TEXT    NOT NULL CHECK (kind IN ('photo', 'voice', 'document')),
    file_id        TEXT    NOT NULL,
    file_unique_id TEXT    NOT NULL,
    added_at       TEXT    NOT NULL,
    UNIQUE (checkin_id, position),
    UNIQUE (checkin_id, file_unique_id)
);

INSERT INTO plan_evidence (checkin_id, position, kind, file_id, file_unique_id, added_at)
SELECT id, 1, evidence_kind, evidence_file_id, evidence_file_id, created_at
FROM plan_checkins
WHERE evidence_kind IS NOT NULL AND evidence_file_id IS NOT NULL;

ALTER TABLE plan_checkins DROP COLUMN evidence_kind;
ALTER TABLE plan_checkins DROP COLUMN evidence_file_id;
