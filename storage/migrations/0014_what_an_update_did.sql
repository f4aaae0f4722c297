-- What a finishing step did (a member joined, a cluster was created...), kept on its update's inbox
-- row in the same transaction, so the step replayed after a crash shows the same outcome again
-- instead of "this button is no longer valid" (bot/flows.py finish_draft).
ALTER TABLE inbox ADD COLUMN effect TEXT;  -- JSON, NULL while the update did nothing worth repeating
