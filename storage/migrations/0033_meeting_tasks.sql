-- Tasks handed out at a meeting's notes (FPESD Langkah 4: "Membagi subtugas kepada anggota dan
-- pengurus"): what, by when, and one row per owner with how far they got. Overdue tasks come
-- back on the next meeting's agenda and in the committee's digest.
CREATE TABLE meeting_tasks (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id),
    what             TEXT    NOT NULL,
    due_on           TEXT    NOT NULL,                 -- a day in the cluster's zone (YYYY-MM-DD)
    assigned_by      INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,                 -- UTC
    source_update_id INTEGER UNIQUE                    -- the update that saved it: a replay adds nothing
);
CREATE INDEX meeting_tasks_by_meeting ON meeting_tasks (meeting_id, id);
CREATE INDEX meeting_tasks_by_cluster ON meeting_tasks (cluster_id, due_on);

CREATE TABLE meeting_task_owners (
    task_id          INTEGER NOT NULL REFERENCES meeting_tasks (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'help', 'done')),
    help_note        TEXT,                             -- the owner's short note when asking for help
    changed_at       TEXT,                             -- UTC: when the status last changed
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX meeting_task_owners_by_user ON meeting_task_owners (user_id, status);
