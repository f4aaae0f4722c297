-- The cluster's own organisation: vision and mission, rules (AD/ART), board elections (issue 9).

-- Every draft of the vision and mission is kept, numbered per cluster; members answer
-- a draft until closes_at; the adopted one names the meeting that confirmed it.
CREATE TABLE vision_versions (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    number           INTEGER NOT NULL,
    text             TEXT    NOT NULL,
    author_id        INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    closes_at        TEXT    NOT NULL,          -- UTC: members answer until then
    status           TEXT    NOT NULL DEFAULT 'consulting'
                     CHECK (status IN ('consulting', 'superseded', 'adopted')),
    adopted_at       TEXT,
    meeting_id       INTEGER REFERENCES meetings (id),
    source_update_id INTEGER UNIQUE,            -- the update that posted it: a replay posts nothing new
    UNIQUE (cluster_id, number)
);

CREATE TABLE vision_responses (
    version_id  INTEGER NOT NULL REFERENCES vision_versions (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    answer      TEXT    NOT NULL CHECK (answer IN ('agree', 'change')),
    comment     TEXT,
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (version_id, user_id)
);

-- The rules (AD/ART): a document sent to the bot or typed sections; an amendment is a new version.
CREATE TABLE rules_versions (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    number           INTEGER NOT NULL,
    file_id          TEXT,                      -- Telegram file id of the document
    file_name        TEXT,
    sections         TEXT    NOT NULL DEFAULT '[]',  -- JSON list of typed sections
    adopted_at       TEXT    NOT NULL,          -- UTC: the adopting meeting's start, else when recorded
    meeting_id       INTEGER REFERENCES meetings (id),
    author_id        INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    source_update_id INTEGER UNIQUE,
    UNIQUE (cluster_id, number),
    CHECK (file_id IS NOT NULL OR sections <> '[]')
);

CREATE TABLE rules_acknowledgements (
    version_id      INTEGER NOT NULL REFERENCES rules_versions (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    acknowledged_at TEXT    NOT NULL,
    PRIMARY KEY (version_id, user_id)           -- acknowledged once
);

CREATE TABLE elections (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    voters           TEXT    NOT NULL CHECK (voters IN ('members', 'meeting')),
    meeting_id       INTEGER REFERENCES meetings (id),   -- voters = those checked in to it
    candidacy        TEXT    NOT NULL CHECK (candidacy IN ('nomination', 'recommendation')),
    tie_rule         TEXT    NOT NULL CHECK (tie_rule IN ('runoff', 'lots')),
    status           TEXT    NOT NULL DEFAULT 'nominating' CHECK (status IN ('nominating', 'voting', 'closed')),
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    opened_at        TEXT,
    closed_at        TEXT,
    announced_at     TEXT,
    source_update_id INTEGER UNIQUE,
    CHECK (voters = 'members' OR meeting_id IS NOT NULL)
);
CREATE INDEX elections_by_cluster ON elections (cluster_id, id);

CREATE TABLE election_positions (
    election_id INTEGER NOT NULL REFERENCES elections (id),
    position    TEXT    NOT NULL,               -- chair, vice_chair, secretary, treasurer, ...
    winner_id   INTEGER REFERENCES users (id),
    decided_by  TEXT    CHECK (decided_by IN ('votes', 'runoff', 'lots', 'unopposed', 'vacant')),
    PRIMARY KEY (election_id, position)
);

-- Candidates are public: who stood, and who proposed them.
CREATE TABLE election_candidates (
    election_id INTEGER NOT NULL REFERENCES elections (id),
    position    TEXT    NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    proposed_by INTEGER NOT NULL REFERENCES users (id),
    source      TEXT    NOT NULL CHECK (source IN ('nominated', 'recommended')),
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    proposed_at TEXT    NOT NULL,
    answered_at TEXT,
    PRIMARY KEY (election_id, position, user_id)
);

-- One ballot: a position in one round (round 2 is a run-off between the tied).
CREATE TABLE election_contests (
    id          INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections (id),
    position    TEXT    NOT NULL,
    round       INTEGER NOT NULL DEFAULT 1,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at   TEXT    NOT NULL,
    closed_at   TEXT,
    eligible    INTEGER,                        -- how many could vote, counted at closing
    UNIQUE (election_id, position, round)
);

-- THE BALLOT IS SECRET. A vote is a +1 on its candidate's count, made in the same
-- transaction as the voter's turnout row. Both tables are WITHOUT ROWID, ordered by
-- their keys, with no voter column and no time: the count rows exist (at zero) from
-- the moment the contest opens, so neither a column nor the order of rows links a
-- voter to a choice.
CREATE TABLE ballot_counts (
    contest_id   INTEGER NOT NULL REFERENCES election_contests (id),
    candidate_id INTEGER NOT NULL REFERENCES users (id),
    votes        INTEGER NOT NULL DEFAULT 0,    -- cast by phone
    paper        INTEGER NOT NULL DEFAULT 0,    -- paper ballots from the room, confirmed by a witness
    PRIMARY KEY (contest_id, candidate_id)
) WITHOUT ROWID;

-- Turnout: who voted in a contest, never what they chose.
CREATE TABLE ballot_turnout (
    contest_id INTEGER NOT NULL REFERENCES election_contests (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (contest_id, user_id)           -- one vote per voter per contest
) WITHOUT ROWID;

-- Paper ballots counted in the room: entered by one person, counted once a second confirms.
CREATE TABLE paper_tallies (
    id               INTEGER PRIMARY KEY,
    contest_id       INTEGER NOT NULL REFERENCES election_contests (id),
    counts           TEXT    NOT NULL,          -- JSON {"candidate id": ballots}
    entered_by       INTEGER NOT NULL REFERENCES users (id),
    witness_id       INTEGER NOT NULL REFERENCES users (id),
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
    entered_at       TEXT    NOT NULL,
    decided_at       TEXT,
    source_update_id INTEGER UNIQUE,
    CHECK (witness_id <> entered_by)
);

-- Lots drawn by the bot to settle a tie: anyone can repeat the draw from the seed.
CREATE TABLE election_draws (
    contest_id INTEGER PRIMARY KEY REFERENCES election_contests (id),
    seed       TEXT    NOT NULL,
    tied       TEXT    NOT NULL,                -- JSON list of the tied candidates' ids, ascending
    winner_id  INTEGER NOT NULL REFERENCES users (id),
    drawn_at   TEXT    NOT NULL
);

-- Positions in the cluster's organisation (the board), part of the membership model.
CREATE TABLE organisation_positions (
    id          INTEGER PRIMARY KEY,
    cluster_id  INTEGER NOT NULL REFERENCES clusters (id),
    position    TEXT    NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    since       TEXT    NOT NULL,
    until       TEXT,                           -- NULL: holds it now
    election_id INTEGER REFERENCES elections (id)
);
CREATE INDEX organisation_positions_by_cluster ON organisation_positions (cluster_id, position) WHERE until IS NULL;
