-- Supporters (issue 23): organisations and people outside the membership who can help the cluster
-- (BDS providers, offices, universities, banks...), kept per cluster by its facilitators and
-- suggested by members (conversations/supporters). ``services`` is a JSON list of service keys.
-- A member's suggestion waits as 'suggested' until a facilitator confirms (or rejects) it; a
-- removed one is kept ('removed') so its visits keep their name.
CREATE TABLE supporters (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    name             TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    services         TEXT    NOT NULL DEFAULT '[]',
    contact          TEXT,
    area             TEXT,
    worked_with      TEXT,                              -- who in the cluster worked with them, as typed
    status           TEXT    NOT NULL CHECK (status IN ('confirmed', 'suggested', 'rejected', 'removed')),
    added_by         INTEGER REFERENCES users (id),     -- who added or suggested it
    decided_by       INTEGER REFERENCES users (id),     -- the facilitator who confirmed or rejected a suggestion
    created_at       TEXT    NOT NULL,                  -- UTC
    updated_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE                     -- the update that added it: a replay adds nothing
);
CREATE INDEX supporters_by_cluster ON supporters (cluster_id, status, name COLLATE NOCASE);

-- Visits and calls a facilitator recorded, to a supporter, a member or a firm of the firm list
-- (one of the three); the next step,
-- when there is one, is a due message (reminders key ``visit:<id>:next``).
CREATE TABLE visits (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    supporter_id     INTEGER REFERENCES supporters (id),
    member_id        INTEGER REFERENCES users (id),
    firm_id          INTEGER REFERENCES firms (id),
    who              TEXT    NOT NULL,                  -- the name as it was when recorded
    kind             TEXT    NOT NULL CHECK (kind IN ('visit', 'call')),
    visited_on       TEXT    NOT NULL,                  -- the local date, YYYY-MM-DD
    agreed           TEXT    NOT NULL,
    next_step        TEXT,
    next_on          TEXT,                              -- the local date of the next step
    follow_up_of     INTEGER REFERENCES visits (id),
    recorded_by      INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,                  -- UTC
    source_update_id INTEGER UNIQUE,
    CHECK ((supporter_id IS NOT NULL) + (member_id IS NOT NULL) + (firm_id IS NOT NULL) = 1)
);
CREATE INDEX visits_by_supporter ON visits (supporter_id, visited_on);
CREATE INDEX visits_by_cluster ON visits (cluster_id, created_at);
