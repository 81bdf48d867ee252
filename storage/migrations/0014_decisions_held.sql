-- s28-probe: the insatser of each case's decisions in force on the day (storage.repositories.cases.case_summary,
-- ibic.work_list.held_insatser), refreshed daily with the deadline, so that a new case for the same person says
-- which decisions the person has and the work list proposes their follow-up (seed 001: a follow-up after a larger
-- change, such as a stay in hospital) without loading the person's other cases. Clearing deadline_checked_on makes
-- the next listing fill it in for every open case stored before this migration.
ALTER TABLE cases ADD COLUMN in_force TEXT NOT NULL DEFAULT '';
UPDATE cases SET deadline_checked_on = '';
