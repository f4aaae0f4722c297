-- Wrong invitation codes, one row per try that was looked up and matched no cluster
-- (conversations/membership/joining.py): a person gets 5 such tries per 10 minutes, counted here
-- so a restart does not give them 5 more. No code is kept (a wrong code is no one's data, and a
-- near miss of a real code would help the next guess). Kept for a week, for the facilitator's
-- count on the invitation screen (bot/retention.py deletes older rows).
-- source_update_id: the update that tried, so a replayed update counts once.
CREATE TABLE wrong_invitation_codes (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL,
    tried_at         TEXT    NOT NULL,      -- UTC
    source_update_id INTEGER UNIQUE
);
CREATE INDEX wrong_invitation_codes_by_person ON wrong_invitation_codes (user_id, tried_at);
CREATE INDEX wrong_invitation_codes_by_time ON wrong_invitation_codes (tried_at);
