-- s21-drafts: what the window held of a case that the case itself does not (an add form's text not yet added, a
-- text a save refused), kept in the encrypted profile so a kill, a crash or the OS session's end does not lose it
-- (storage/drafts.py). One row a case, its value opaque here (the window encodes it, ui/workspace/drafts.py). Local
-- only: no sync table reads it. A case that leaves the laptop (a withdrawal) takes its row along (the foreign key);
-- a wipe deletes the file.
CREATE TABLE drafts (
    case_id  TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    value    TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;
