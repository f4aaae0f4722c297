-- Dues (iuran, issue 24): what the cluster asks of each member, and who paid which period.
-- Setting the dues anew adds a row: it governs from its own first month on; earlier rows keep the
-- months before it (what was owed and paid then stays owed and paid).
CREATE TABLE dues_terms (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    amount           INTEGER NOT NULL CHECK (amount > 0),             -- whole rupiah a period
    cadence          TEXT    NOT NULL CHECK (cadence IN ('monthly', 'yearly')),
    starts_on        TEXT    NOT NULL,                                -- the first period's first day, ISO
    set_by           INTEGER NOT NULL REFERENCES users (id),
    set_at           TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE                                   -- a replayed update sets nothing new
);
CREATE INDEX dues_terms_by_cluster ON dues_terms (cluster_id, id);

-- One row per member and period paid; the periods paid at once share their cash book entry.
CREATE TABLE dues_payments (
    id             INTEGER PRIMARY KEY,
    cluster_id     INTEGER NOT NULL REFERENCES clusters (id),
    terms_id       INTEGER NOT NULL REFERENCES dues_terms (id),        -- the setting that priced it
    user_id        INTEGER NOT NULL REFERENCES users (id),
    period         TEXT    NOT NULL,                                  -- the period's first day, ISO
    amount         INTEGER NOT NULL CHECK (amount > 0),                -- rupiah paid for this period
    cash_entry_id  INTEGER NOT NULL REFERENCES cash_entries (id),
    recorded_by    INTEGER NOT NULL REFERENCES users (id),
    recorded_at    TEXT    NOT NULL,
    UNIQUE (cluster_id, user_id, period)                                -- a period is paid once
);
CREATE INDEX dues_payments_by_entry ON dues_payments (cash_entry_id);
