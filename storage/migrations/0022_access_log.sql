-- Who saw what: every download of personal data and every role change, with who did it and when.
-- A cluster's entries carry its id; a committee's own (its reports, its chair and secretary) carry
-- the committee's. Names are not copied here: they are read from the memberships when shown, so an
-- erased member shows as the memberships say. actor_id NULL: the bot itself (an election's count).
CREATE TABLE access_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    actor_id     INTEGER,
    cluster_id   INTEGER REFERENCES clusters (id),
    committee_id INTEGER REFERENCES committees (id),
    action       TEXT    NOT NULL,
    subject_id   INTEGER,                      -- the person a role change is about
    detail       TEXT    NOT NULL DEFAULT ''   -- what was downloaded: a format, a title, a position
);
CREATE INDEX access_log_by_cluster ON access_log (cluster_id, at);
CREATE INDEX access_log_by_committee ON access_log (committee_id, at);
