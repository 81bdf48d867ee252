-- s22-loose: what is typed into the New case dialog before the case is created (the person's names and
-- personnummer, how the case arose, who applied, the date), kept in the encrypted profile so a kill, a crash or the
-- OS session's end does not lose it (storage/drafts.py, NewCaseDraft). One row at most, its value opaque here (the
-- dialog encodes it, ui/cases/new_case_draft.py). Local only: no sync table reads it; a wipe deletes the file.
CREATE TABLE new_case_draft (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    value    TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
