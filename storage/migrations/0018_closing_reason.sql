-- s33-close2: the case list shows why a closed case was closed ("Avslutad – Avlidit"), from this column: the reason
-- of the closing (an ibic.vocabulary.ClosingReason value; "other:" and the handläggare's text for "annat"), "" for an
-- open case or a closing without one (``storage.repositories.cases.closing_column``). Filled for the closed cases
-- stored before by the next listing's refresh, off the unlock's path, as 0017 filled their hours: their
-- deadline_checked_on cleared, each is read once (``CaseRepository._stale_chunk``). No document is parsed here.
ALTER TABLE cases ADD COLUMN closing TEXT NOT NULL DEFAULT '';
UPDATE cases SET deadline_checked_on = '' WHERE status = 'closed';
