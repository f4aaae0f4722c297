-- Committees (CEDC / FEDEP / FPESD) that follow many clusters through their secretariat
-- (conversations/committee): members with a stakeholder type, a chair and a secretary,
-- the clusters they follow, and a record of each digest period.
CREATE TABLE committees (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    level            TEXT    NOT NULL CHECK (level IN ('province', 'district')),
    timezone         TEXT    NOT NULL,
    invite_code      TEXT    NOT NULL UNIQUE,
    digest_weekday   INTEGER NOT NULL DEFAULT 0 CHECK (digest_weekday BETWEEN 0 AND 6),  -- 0 = Monday
    digest_hour      INTEGER NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23),     -- in its zone
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE
);

CREATE TABLE committee_clusters (
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    cluster_id   INTEGER NOT NULL REFERENCES clusters (id),
    PRIMARY KEY (committee_id, cluster_id)
);
CREATE INDEX committee_clusters_by_cluster ON committee_clusters (cluster_id);

CREATE TABLE committee_members (
    committee_id     INTEGER NOT NULL REFERENCES committees (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    full_name        TEXT    NOT NULL,
    stakeholder_type TEXT,
    role             TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'chair', 'secretary')),
    joined_at        TEXT    NOT NULL,
    left_at          TEXT,
    PRIMARY KEY (committee_id, user_id)
);

-- One row per committee and digest period: "sent" or "quiet" (nothing new, said once).
CREATE TABLE committee_digests (
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    period       TEXT    NOT NULL,            -- e.g. 2026-W48
    outcome      TEXT    NOT NULL CHECK (outcome IN ('sent', 'quiet', 'silent')),
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (committee_id, period)
);

-- What the digest and report queries filter on.
CREATE INDEX IF NOT EXISTS memberships_by_join ON memberships (cluster_id, joined_at);
-- A round's responses by subject (form_responses_one_each is partial, so "WHERE subject = ?" could not use it).
CREATE INDEX IF NOT EXISTS form_responses_by_subject ON form_responses (subject, status);
