-- Brainstorming with cards: sessions, participants, cards, themes, dots, the shortlist (issue: brainstorm).

CREATE TABLE brainstorm_sessions (
    id                 INTEGER PRIMARY KEY,
    cluster_id         INTEGER NOT NULL REFERENCES clusters (id),
    meeting_id         INTEGER REFERENCES meetings (id),
    small_group_id     INTEGER REFERENCES small_groups (id),
    question           TEXT    NOT NULL,
    template           TEXT    NOT NULL CHECK (template IN ('free', 'swot')),
    audience           TEXT    NOT NULL CHECK (audience IN ('meeting', 'group', 'cluster')),
    anonymous          INTEGER NOT NULL DEFAULT 1,
    dots               INTEGER NOT NULL DEFAULT 3 CHECK (dots BETWEEN 1 AND 10),
    phase              TEXT    NOT NULL DEFAULT 'collecting'
                       CHECK (phase IN ('collecting', 'revealed', 'grouping', 'voting', 'results', 'closed')),
    facilitator_id     INTEGER NOT NULL REFERENCES users (id),
    counter_message_id INTEGER,                 -- the facilitator's live count, edited as cards arrive
    counter_shown      TEXT,                    -- a fingerprint of what it shows: never edit to the same content
    created_at         TEXT    NOT NULL,
    source_update_id   INTEGER UNIQUE           -- the update that opened it: a replay opens nothing new
);
CREATE INDEX brainstorm_sessions_by_cluster ON brainstorm_sessions (cluster_id, id);

CREATE TABLE brainstorm_participants (
    session_id INTEGER NOT NULL REFERENCES brainstorm_sessions (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE brainstorm_themes (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES brainstorm_sessions (id),
    title       TEXT    NOT NULL,
    merged_into INTEGER REFERENCES brainstorm_themes (id),  -- set when merged away
    shortlisted INTEGER NOT NULL DEFAULT 0,                 -- the facilitator's marks while results are shown
    created_at  TEXT    NOT NULL
);
CREATE INDEX brainstorm_themes_by_session ON brainstorm_themes (session_id, id);

CREATE TABLE brainstorm_cards (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER NOT NULL REFERENCES brainstorm_sessions (id),
    number           INTEGER NOT NULL,          -- shown to people: card #3 of this session
    author_id        INTEGER REFERENCES users (id),  -- NULL: a paper card typed in by the facilitator
    entered_by       INTEGER NOT NULL REFERENCES users (id),
    swot_column      TEXT    CHECK (swot_column IN ('S', 'W', 'O', 'T')),
    kind             TEXT    NOT NULL CHECK (kind IN ('text', 'voice', 'photo')),
    text             TEXT,                      -- the text, or a photo's caption
    file_id          TEXT,                      -- voice and photo cards: Telegram's file id, to send again
    duration         INTEGER,                   -- voice: seconds
    summary          TEXT,                      -- the facilitator's one-line summary of a voice or photo card
    theme_id         INTEGER REFERENCES brainstorm_themes (id),
    withdrawn_at     TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE,            -- a replayed update stores no second card
    UNIQUE (session_id, number)
);

-- One row per dot: a participant's dots fill slots 1..budget, so a double tap or a
-- second phone can never overspend. In-room dots (stickers on paper) have no voter.
CREATE TABLE brainstorm_dots (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES brainstorm_sessions (id),
    theme_id   INTEGER NOT NULL REFERENCES brainstorm_themes (id),
    voter_id   INTEGER REFERENCES users (id),
    slot       INTEGER NOT NULL,
    entered_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT    NOT NULL,
    UNIQUE (session_id, voter_id, slot)
);
CREATE INDEX brainstorm_dots_by_theme ON brainstorm_dots (session_id, theme_id);

-- The shortlist the cluster picked; the action-plans flow reads it.
CREATE TABLE brainstorm_shortlist (
    session_id INTEGER NOT NULL REFERENCES brainstorm_sessions (id),
    theme_id   INTEGER NOT NULL REFERENCES brainstorm_themes (id),
    title      TEXT    NOT NULL,
    dots       INTEGER NOT NULL,
    rank       INTEGER NOT NULL,
    PRIMARY KEY (session_id, theme_id)
);
