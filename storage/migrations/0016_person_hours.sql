-- s29-probe2: each case's decisions with time, as spans in force (storage.repositories.cases.hours_column,
-- ibic.granted_hours.hours_spans), so the work list sums a person's hours over all their cases as Rapporter ->
-- Internkontroll does (seed 004: about 100 hours a month or more is followed up; 70 + 35 h in two cases was listed
-- by the report and reminded of by nothing). Clearing deadline_checked_on makes the next listing fill it in for
-- every open case stored before this migration; a closed case's decisions count from its next save.
ALTER TABLE cases ADD COLUMN hours TEXT NOT NULL DEFAULT '';
UPDATE cases SET deadline_checked_on = '';
