-- The case list shows what the next deadline is for and what the person applied for (issue 12): more summary
-- columns. Clearing deadline_checked_on makes the next listing recompute every open case's summary, which fills
-- them in for cases stored before this migration (closed cases have neither a deadline nor a need for it).
ALTER TABLE cases ADD COLUMN next_deadline_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN applied_for TEXT NOT NULL DEFAULT '';
-- The case's rows of the "Att göra" work list for the day (storage.repositories.cases.work_column), refreshed
-- daily with the deadline, so the work list is read from summaries instead of loading every case.
ALTER TABLE cases ADD COLUMN work TEXT NOT NULL DEFAULT '';
UPDATE cases SET deadline_checked_on = '';
-- What was applied for, as storage.repositories.cases.applied_for_column writes it: a compact JSON array of
-- catalogue insats ids, or the free text where no insats was chosen. Closed cases are filled here too.
UPDATE cases SET applied_for = coalesce((
    SELECT json_group_array(coalesce(json_extract(i.value, '$.insats_id'), json_extract(i.value, '$.free_text'), ''))
    FROM case_documents AS d, json_each(d.document, '$.application.items') AS i
    WHERE d.id = cases.id
), '[]');
