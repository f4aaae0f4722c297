-- How each answer sheet was entered (issue 21): 'phone' by the respondent themself, 'interview' by a
-- facilitator asking them, 'paper' copied by a facilitator from a filled-in paper questionnaire.
-- Rows from before are an interview when someone else entered them (entered_by <> respondent_id),
-- which is what Response.interviewed has always meant.
ALTER TABLE form_responses ADD COLUMN source TEXT NOT NULL DEFAULT 'phone'
    CHECK (source IN ('phone', 'interview', 'paper'));
UPDATE form_responses SET source = 'interview' WHERE respondent_id IS NULL OR entered_by <> respondent_id;
-- The paper count of a round ("Kuesioner kertas ke-3 sudah masuk") is read per round.
CREATE INDEX form_responses_by_source ON form_responses (subject, source);
