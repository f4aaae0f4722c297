-- Answers to questionnaires defined as data (bot/forms.py), and survey rounds (issue: survey).

CREATE TABLE form_responses (
    id              INTEGER PRIMARY KEY,
    form_id         TEXT    NOT NULL,
    form_version    INTEGER NOT NULL,
    subject         TEXT    NOT NULL,          -- what it answers, e.g. "survey_round:3"
    respondent_id   INTEGER REFERENCES users (id),
    respondent_name TEXT,                      -- for an interviewee without Telegram
    entered_by      INTEGER NOT NULL REFERENCES users (id),  -- not the respondent: an interview
    current         TEXT,                      -- the question on screen
    status          TEXT    NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted')),
    started_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    submitted_at    TEXT
);
CREATE UNIQUE INDEX form_responses_one_each ON form_responses (subject, respondent_id) WHERE respondent_id IS NOT NULL;

CREATE TABLE form_answers (
    response_id INTEGER NOT NULL REFERENCES form_responses (id),
    question    TEXT    NOT NULL,
    value       TEXT    NOT NULL,              -- JSON
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (response_id, question)
);

-- Which response a person's typed text answers (the last question shown to them).
CREATE TABLE form_focus (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id),
    response_id INTEGER NOT NULL REFERENCES form_responses (id)
);

CREATE TABLE survey_rounds (
    id               INTEGER PRIMARY KEY,
    cluster_id       INTEGER NOT NULL REFERENCES clusters (id),
    form_id          TEXT    NOT NULL,
    form_version     INTEGER NOT NULL,
    title            TEXT    NOT NULL,
    closes_at        TEXT,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by        INTEGER NOT NULL REFERENCES users (id),
    opened_at        TEXT    NOT NULL,
    closed_at        TEXT,
    source_update_id INTEGER UNIQUE
);
