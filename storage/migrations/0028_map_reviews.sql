-- The participant map reviewed at a meeting (the guideline's "Pengecekan peta partisipan", ANNEX-2):
-- planned on a meeting's agenda, sent to its invitees the day before, then recorded with what changed
-- and the map's figures at that moment, so the trend shows from one review to the next.
CREATE TABLE map_reviews (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    meeting_id       INTEGER NOT NULL UNIQUE REFERENCES meetings (id),  -- one review a meeting
    planned_by       INTEGER NOT NULL REFERENCES users (id),
    planned_at       TEXT    NOT NULL,                                   -- UTC
    reviewed_by      INTEGER REFERENCES users (id),
    reviewed_at      TEXT,                                               -- UTC; NULL until recorded
    changes          TEXT,                                               -- what changed, as typed ('' for none)
    figures          TEXT,                                               -- JSON: the map's figures when recorded
    source_update_id INTEGER UNIQUE                                      -- the update that recorded it
);
CREATE INDEX map_reviews_by_cluster ON map_reviews (cluster_id, reviewed_at);
