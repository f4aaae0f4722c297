-- The cluster's annual plan (rencana kegiatan tahunan, issue 24): what the facilitator adds to a year
-- beyond the action plans' activities and the scheduled meetings, and the numbered versions members
-- answer and a meeting adopts (like the vision and mission).

-- Trainings and study tours (a month, or dates) and the months a regular coordination meeting is intended.
CREATE TABLE annual_events (
    id                INTEGER PRIMARY KEY,
    cluster_id        INTEGER NOT NULL REFERENCES clusters (id),
    year              INTEGER NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('training', 'study_tour', 'coordination')),
    title             TEXT    NOT NULL,
    month             INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    starts_on         TEXT,                     -- local dates when known; else the whole month
    ends_on           TEXT,
    created_by        INTEGER NOT NULL REFERENCES users (id),
    created_at        TEXT    NOT NULL,
    removed_at        TEXT,
    source_update_id  INTEGER UNIQUE,           -- the update that added it: a replay adds nothing
    removed_update_id INTEGER UNIQUE            -- the update that removed it: a replay removes nothing more
);
CREATE INDEX annual_events_by_year ON annual_events (cluster_id, year, month);
CREATE UNIQUE INDEX one_coordination_a_month ON annual_events (cluster_id, year, month)
    WHERE kind = 'coordination' AND removed_at IS NULL;

-- A version is a snapshot of the year's activities (JSON) when it was published to members.
CREATE TABLE annual_plan_versions (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    year             INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    entries          TEXT    NOT NULL,          -- [[key, kind, title, starts_on, ends_on], ...]
    author_id        INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    closes_at        TEXT    NOT NULL,          -- UTC: members answer until then
    status           TEXT    NOT NULL DEFAULT 'consulting'
                     CHECK (status IN ('consulting', 'superseded', 'adopted')),
    adopted_at       TEXT,
    meeting_id       INTEGER REFERENCES meetings (id),
    source_update_id INTEGER UNIQUE,
    UNIQUE (cluster_id, year, number)
);

CREATE TABLE annual_plan_responses (
    version_id  INTEGER NOT NULL REFERENCES annual_plan_versions (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    answer      TEXT    NOT NULL CHECK (answer IN ('agree', 'change')),
    comment     TEXT,
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (version_id, user_id)
);
