-- How many sent responses chose each option of a one-choice question, per subject (a survey round):
-- the committee's figures read a round's small histogram instead of every answer of every response.
-- The triggers below keep it as the answers are sent, changed after sending, withdrawn (a response
-- reopened) or deleted, inside the transaction that changes them, so it can never drift from them.
-- Only the questions in tallied_questions are counted: the one-choice questions of the loaded
-- definitions (storage/forms.py track_choices, at start-up), never free text.
CREATE TABLE tallied_questions (
    form_id      TEXT    NOT NULL,
    form_version INTEGER NOT NULL,
    question     TEXT    NOT NULL,
    PRIMARY KEY (form_id, form_version, question)
) WITHOUT ROWID;

CREATE TABLE answer_tallies (
    subject  TEXT    NOT NULL,
    question TEXT    NOT NULL,
    value    TEXT    NOT NULL,  -- JSON, as in form_answers
    count    INTEGER NOT NULL,
    PRIMARY KEY (subject, question, value)
) WITHOUT ROWID;

-- A response is sent: its tallied answers count.
CREATE TRIGGER answer_tallies_sent AFTER UPDATE OF status ON form_responses
WHEN NEW.status = 'submitted' AND OLD.status <> 'submitted'
BEGIN
    INSERT INTO answer_tallies (subject, question, value, count)
    SELECT NEW.subject, a.question, a.value, 1 FROM form_answers a
    JOIN tallied_questions q ON q.form_id = NEW.form_id AND q.form_version = NEW.form_version AND q.question = a.question
    WHERE a.response_id = NEW.id
    ON CONFLICT (subject, question, value) DO UPDATE SET count = count + 1;
END;

-- A sent response is reopened (or deleted): its answers stop counting.
CREATE TRIGGER answer_tallies_reopened AFTER UPDATE OF status ON form_responses
WHEN OLD.status = 'submitted' AND NEW.status <> 'submitted'
BEGIN
    UPDATE answer_tallies SET count = count - 1
    WHERE subject = OLD.subject AND (question, value) IN (SELECT question, value FROM form_answers WHERE response_id = OLD.id);
    DELETE FROM answer_tallies WHERE subject = OLD.subject AND count <= 0;
END;

CREATE TRIGGER answer_tallies_response_deleted AFTER DELETE ON form_responses
WHEN OLD.status = 'submitted'
BEGIN
    UPDATE answer_tallies SET count = count - 1
    WHERE subject = OLD.subject AND (question, value) IN (SELECT question, value FROM form_answers WHERE response_id = OLD.id);
    DELETE FROM answer_tallies WHERE subject = OLD.subject AND count <= 0;
END;

-- An answer of a sent response is added, changed or dropped (an answer edited after sending).
CREATE TRIGGER answer_tallies_answer_added AFTER INSERT ON form_answers
BEGIN
    INSERT INTO answer_tallies (subject, question, value, count)
    SELECT f.subject, NEW.question, NEW.value, 1 FROM form_responses f
    JOIN tallied_questions q ON q.form_id = f.form_id AND q.form_version = f.form_version AND q.question = NEW.question
    WHERE f.id = NEW.response_id AND f.status = 'submitted'
    ON CONFLICT (subject, question, value) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER answer_tallies_answer_changed AFTER UPDATE OF value ON form_answers
WHEN NEW.value <> OLD.value
BEGIN
    UPDATE answer_tallies SET count = count - 1
    WHERE subject = (SELECT subject FROM form_responses WHERE id = OLD.response_id AND status = 'submitted')
    AND question = OLD.question AND value = OLD.value;
    DELETE FROM answer_tallies
    WHERE subject = (SELECT subject FROM form_responses WHERE id = OLD.response_id) AND question = OLD.question AND count <= 0;
    INSERT INTO answer_tallies (subject, question, value, count)
    SELECT f.subject, NEW.question, NEW.value, 1 FROM form_responses f
    JOIN tallied_questions q ON q.form_id = f.form_id AND q.form_version = f.form_version AND q.question = NEW.question
    WHERE f.id = NEW.response_id AND f.status = 'submitted'
    ON CONFLICT (subject, question, value) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER answer_tallies_answer_dropped AFTER DELETE ON form_answers
BEGIN
    UPDATE answer_tallies SET count = count - 1
    WHERE subject = (SELECT subject FROM form_responses WHERE id = OLD.response_id AND status = 'submitted')
    AND question = OLD.question AND value = OLD.value;
    DELETE FROM answer_tallies
    WHERE subject = (SELECT subject FROM form_responses WHERE id = OLD.response_id) AND question = OLD.question AND count <= 0;
END;
