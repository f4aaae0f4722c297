-- The cluster's cash book (buku kas, issue 24): every rupiah in and out, as integers.
-- An entry is never edited: a correction is a new entry with the opposite amount that names
-- the one it reverses, so the sums always add up.
CREATE TABLE cash_entries (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    direction        TEXT    NOT NULL CHECK (direction IN ('income', 'spending')),
    amount           INTEGER NOT NULL CHECK (amount <> 0),   -- rupiah; negative only on a reversal
    occurred_on      TEXT    NOT NULL,          -- local calendar date, ISO
    purpose          TEXT    NOT NULL,
    source           TEXT,                      -- income: initial, dues, apbd, grant, sponsor, sales, other
    activity_key     TEXT,                      -- an annual plan activity (storage.annual_plans keys)
    receipt_file_id  TEXT,                      -- Telegram file id of the receipt's photo
    reverses_id      INTEGER UNIQUE REFERENCES cash_entries (id),
    status           TEXT    NOT NULL DEFAULT 'recorded'
                     CHECK (status IN ('recorded', 'pending', 'rejected')),   -- pending: waits for the chair
    recorded_by      INTEGER NOT NULL REFERENCES users (id),
    recorded_at      TEXT    NOT NULL,
    decided_by       INTEGER REFERENCES users (id),
    decided_at       TEXT,
    source_update_id INTEGER UNIQUE,            -- the update that recorded it: a replay records nothing new
    CHECK (direction = 'income' OR source IS NULL),
    CHECK ((reverses_id IS NULL) = (amount > 0))
);
CREATE INDEX cash_entries_by_cluster ON cash_entries (cluster_id, occurred_on, id);
