-- Letters between a member and the facilitators of their cluster. A member's text typed outside any
-- question is kept here ('kept') and goes to the facilitators only when the member taps "Send"
-- ('sent'; "Cancel": 'dropped'). A facilitator's answer is a letter in reply to it, sent at once.
-- source_update_id: the update that wrote it, so a replayed update writes nothing new.
CREATE TABLE letters (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    member_id        INTEGER NOT NULL REFERENCES users (id),   -- the member the exchange is with
    sender_id        INTEGER NOT NULL REFERENCES users (id),   -- the member, or the facilitator who answered
    in_reply_to      INTEGER REFERENCES letters (id),          -- an answer: the member's letter it answers
    body             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('kept', 'sent', 'dropped')),
    created_at       TEXT    NOT NULL,
    sent_at          TEXT,
    source_update_id INTEGER UNIQUE
);
CREATE INDEX letters_by_member ON letters (member_id, id);
