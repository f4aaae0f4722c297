-- Clusters, their small groups and their members (issue: membership).

CREATE TABLE clusters (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    regency          TEXT    NOT NULL,          -- kabupaten / kota
    province         TEXT    NOT NULL,
    industry         TEXT    NOT NULL,          -- core industry, e.g. batik
    timezone         TEXT    NOT NULL,          -- Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
    invite_code      TEXT    NOT NULL UNIQUE,   -- deep-link payload, Telegram's [A-Za-z0-9_-]{1,64}
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE             -- the update that created it: a replay creates nothing new
);

CREATE TABLE small_groups (
    id         INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters (id),
    name       TEXT    NOT NULL,
    area       TEXT,
    leader_id  INTEGER REFERENCES users (id),
    created_at TEXT    NOT NULL,
    UNIQUE (cluster_id, name)
);

-- One row per person and cluster; leaving sets left_at and keeps the history.
CREATE TABLE memberships (
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    full_name        TEXT    NOT NULL,
    home_area        TEXT,
    core_business    TEXT,
    stakeholder_type TEXT,
    phone            TEXT,
    small_group_id   INTEGER REFERENCES small_groups (id),
    is_facilitator   INTEGER NOT NULL DEFAULT 0,
    is_secretary     INTEGER NOT NULL DEFAULT 0,
    joined_at        TEXT    NOT NULL,
    left_at          TEXT,
    PRIMARY KEY (cluster_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

ALTER TABLE users ADD COLUMN current_cluster_id INTEGER REFERENCES clusters (id);
