-- Questionnaires brought in as XLSForm (issue 22): the definition read from the spreadsheet, in the
-- shape bot.forms.parse_form reads (the YAML files' shape), as JSON. A questionnaire belongs to the
-- cluster whose facilitator sent it (cluster_id), or to every cluster when imported on the command
-- line (cluster_id NULL). Each import is a new version of its form_id, numbered after the built-in
-- and stored ones; the same file sent twice to the same place (an update replayed after a crash, or
-- sent again) is kept once: content_hash is the file's SHA-256.
CREATE TABLE questionnaires (
    id              INTEGER PRIMARY KEY,
    form_id         TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    cluster_id      INTEGER REFERENCES clusters (id),
    definition      TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    xlsform_version TEXT,                              -- settings.version as the spreadsheet wrote it
    content_hash    TEXT    NOT NULL,
    imported_by     INTEGER REFERENCES users (id),     -- NULL: from the command line
    imported_at     TEXT    NOT NULL,
    UNIQUE (form_id, version)
);
CREATE INDEX questionnaires_by_cluster ON questionnaires (cluster_id, form_id);
