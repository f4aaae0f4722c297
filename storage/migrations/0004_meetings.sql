-- Meetings, invitations with RSVP, attendance and guests (issue: meetings).

CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    kind             TEXT    NOT NULL,          -- kickoff, small_group, fgd1, fgd2, regular, committee, workshop, study_tour
    topic            TEXT    NOT NULL,
    starts_at        TEXT    NOT NULL,          -- UTC
    place            TEXT    NOT NULL,
    latitude         REAL,
    longitude        REAL,
    agenda           TEXT,
    audience         TEXT    NOT NULL,          -- JSON {"everyone": bool, "groups": [...], "roles": [...]}
    capacity         INTEGER,
    reminders        TEXT    NOT NULL,          -- JSON list of minutes before the start
    checkin_code     TEXT    NOT NULL UNIQUE,
    organiser_id     INTEGER NOT NULL REFERENCES users (id),
    status           TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    notes            TEXT,
    decisions        TEXT,
    created_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE             -- the update that created it: a replay creates nothing new
);
CREATE INDEX meetings_by_cluster ON meetings (cluster_id, starts_at);

CREATE TABLE meeting_invitees (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    rsvp       TEXT    CHECK (rsvp IN ('yes', 'maybe', 'no')),
    rsvp_at    TEXT,
    delivery   TEXT,                            -- sent, blocked, not_started, failed (the invitation card)
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE attendance (
    meeting_id    INTEGER NOT NULL REFERENCES meetings (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    checked_in_at TEXT    NOT NULL,
    method        TEXT    NOT NULL CHECK (method IN ('link', 'ticked')),
    PRIMARY KEY (meeting_id, user_id)           -- checking in twice counts once
);

CREATE TABLE meeting_guests (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    name             TEXT    NOT NULL,
    stakeholder_type TEXT,
    added_by         INTEGER NOT NULL REFERENCES users (id),
    added_at         TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE
);
