-- Invitees added after a meeting was scheduled (they joined the cluster or entered a small group
-- of its audience later): when. NULL for everyone invited when the meeting was scheduled.
ALTER TABLE meeting_invitees ADD COLUMN invited_at TEXT;
