-- The cluster's firm list (members or not), kept by facilitators (conversations/newsletter).
CREATE TABLE firms (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    name             TEXT    NOT NULL,
    village          TEXT,
    business         TEXT,
    stakeholder_type TEXT,
    contact          TEXT,                     -- phone or e-mail, as given
    added_by         INTEGER REFERENCES users (id),
    created_at       TEXT    NOT NULL,         -- UTC
    source_update_id INTEGER,                  -- the update that added it, and its row in an imported file:
    source_row       INTEGER,                  -- a replayed update adds nothing
    UNIQUE (source_update_id, source_row)
);
CREATE INDEX firms_by_cluster ON firms (cluster_id, name COLLATE NOCASE);
