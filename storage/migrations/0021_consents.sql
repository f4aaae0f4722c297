-- What a person agreed to, and when (UU 27/2022 on personal data: consent is recorded with its date).
-- kind 'phone': the facilitators of cluster_id may have the person's phone number (the directory
-- download, the list of people a message did not reach). One row per time consent was given;
-- withdrawing sets withdrawn_at, giving it again adds a new row, so the history stays readable.
-- A number stored before this table existed has no row: it is shown nowhere until the person agrees.
CREATE TABLE consents (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('phone')),
    cluster_id   INTEGER REFERENCES clusters (id),          -- the cluster the consent is for (NULL: every cluster)
    given_at     TEXT    NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX consents_by_user ON consents (user_id, kind);
-- At most one consent of a kind in force per person and cluster.
CREATE UNIQUE INDEX consents_in_force ON consents (user_id, kind, IFNULL(cluster_id, 0)) WHERE withdrawn_at IS NULL;
