-- Late progress reports are counted by activity and period (the committee's digest, the plan board):
-- both live in the overdue reminder's JSON payload, so they are given columns of their own, computed
-- from it (nothing that writes reminders changes), with an index the counting joins on.
ALTER TABLE reminders ADD COLUMN plan_activity_id INTEGER GENERATED ALWAYS AS (json_extract(payload, '$.activity')) VIRTUAL;
ALTER TABLE reminders ADD COLUMN plan_period TEXT GENERATED ALWAYS AS (json_extract(payload, '$.period')) VIRTUAL;
CREATE INDEX reminders_plan_overdue ON reminders (plan_activity_id, plan_period, due_at) WHERE kind = 'plan.overdue';
