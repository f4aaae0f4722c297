-- The cluster's budget per year (issue 24): expected income by source and planned spending per
-- activity of the annual plan (storage.annual_plans keys, or 'other'), in whole rupiah.
CREATE TABLE budget_lines (
    cluster_id INTEGER NOT NULL REFERENCES clusters (id),
    year       INTEGER NOT NULL,
    direction  TEXT    NOT NULL CHECK (direction IN ('income', 'spending')),
    line       TEXT    NOT NULL,   -- income: a source (cash_entries.source); spending: an activity key or 'other'
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    set_by     INTEGER NOT NULL REFERENCES users (id),
    set_at     TEXT    NOT NULL,
    PRIMARY KEY (cluster_id, year, direction, line)
);

-- How the cluster keeps its books: an entry over the threshold waits for the chair's confirmation.
CREATE TABLE books_settings (
    cluster_id INTEGER PRIMARY KEY REFERENCES clusters (id),
    threshold  INTEGER CHECK (threshold IS NULL OR threshold > 0),   -- rupiah; NULL: no confirmation needed
    set_by     INTEGER NOT NULL REFERENCES users (id),
    set_at     TEXT    NOT NULL
);
