-- Action plans (Step 6 of the guideline): the nine questions, the PDM, check-ins (PDCA Do),
-- and versions kept by the mid-term evaluation's improvement (PDCA Action).
CREATE TABLE action_plans (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    title            TEXT    NOT NULL,
    source_theme_id  INTEGER REFERENCES brainstorm_themes (id),   -- NULL: planned from scratch
    status           TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    version          INTEGER NOT NULL DEFAULT 1,
    answers          TEXT    NOT NULL DEFAULT '{}',   -- the nine questions as answered (JSON)
    budget           INTEGER CHECK (budget IS NULL OR budget >= 0),   -- IDR
    supporter        TEXT,     -- the outside supporter / responsible office, if any
    government_role  TEXT,     -- what the local government is expected to do
    executing_level  TEXT CHECK (executing_level IS NULL OR executing_level IN ('district', 'province', 'central')),
    starts_on        TEXT,     -- local calendar dates, ISO
    ends_on          TEXT,
    goal             TEXT,
    purpose          TEXT,
    inputs           TEXT,
    cadence          TEXT    NOT NULL DEFAULT 'weekly' CHECK (cadence IN ('weekly', 'biweekly', 'monthly')),
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    published_at     TEXT,
    closed_at        TEXT
);
CREATE INDEX action_plans_by_cluster ON action_plans (cluster_id, id);

CREATE TABLE plan_outputs (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES action_plans (id),
    text     TEXT    NOT NULL
);

CREATE TABLE plan_indicators (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES action_plans (id),
    output_id INTEGER NOT NULL REFERENCES plan_outputs (id),
    name      TEXT    NOT NULL,
    unit      TEXT    NOT NULL,
    baseline  INTEGER NOT NULL,
    target    INTEGER NOT NULL
);

CREATE TABLE plan_activities (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES action_plans (id),
    title         TEXT    NOT NULL,
    owner_id      INTEGER REFERENCES users (id),        -- NULL until the facilitator picks one
    indicator_id  INTEGER REFERENCES plan_indicators (id),
    starts_on     TEXT    NOT NULL,
    ends_on       TEXT    NOT NULL,
    checkin_hour  INTEGER NOT NULL DEFAULT 9 CHECK (checkin_hour BETWEEN 0 AND 23),  -- in the cluster's zone
    first_period  TEXT                                   -- the first period a check-in was asked for
);
CREATE INDEX plan_activities_by_plan ON plan_activities (plan_id, id);

CREATE TABLE plan_checkins (
    id               INTEGER PRIMARY KEY,
    activity_id      INTEGER NOT NULL REFERENCES plan_activities (id),
    period_start     TEXT    NOT NULL,                   -- local date the period starts
    owner_id         INTEGER NOT NULL REFERENCES users (id),
    status           TEXT    NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk', 'blocked', 'done')),
    indicator_value  INTEGER,
    confidence       TEXT,
    note             TEXT,
    evidence_kind    TEXT CHECK (evidence_kind IS NULL OR evidence_kind IN ('photo', 'voice')),
    evidence_file_id TEXT,
    created_at       TEXT    NOT NULL,
    UNIQUE (activity_id, period_start)
);

CREATE TABLE plan_versions (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES action_plans (id),
    number      INTEGER NOT NULL,          -- the version this snapshot was
    snapshot    TEXT    NOT NULL,          -- the plan as it was (JSON)
    reason      TEXT    NOT NULL,          -- why it changed
    changed_by  INTEGER NOT NULL REFERENCES users (id),
    changed_at  TEXT    NOT NULL,
    UNIQUE (plan_id, number)
);
