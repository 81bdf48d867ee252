-- s30-hours: migration 0016 filled cases.hours at the next listing for open cases only, so a closed case stored
-- before it never got its decisions with time until its next save, while Rapporter -> Internkontroll counts a
-- closed case's decisions still in force: an open case of 60 h and a closed one of 40 h were listed by the report
-- and reminded of by nothing in Att göra. Clearing deadline_checked_on of each closed case with decisions and no
-- hours makes the next listing's refresh read it once (``CaseRepository._stale_chunk``) and fill its hours in.
UPDATE cases SET deadline_checked_on = ''
WHERE status = 'closed' AND hours = ''
  AND id IN (SELECT id FROM case_documents WHERE json_array_length(document, '$.decisions') > 0);
