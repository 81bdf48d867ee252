-- Issue 14, sync of 1,000 changed cases: every pulled record, and every pushed record's recorded answer, rewrote its
-- `cases` row's version (and stamp). Since the list columns (0003) a row is ~500 bytes, 8 a page, so 1,000 records
-- touched ~150 pages, each encrypted, written to the WAL and fsynced: 152 of a pulled page's 177 frames, ~150 of a
-- push recording's ~200. What the sync rewrites a record, its version and its stamp (`updated_at`, which the autosave
-- checks and the case list orders by), move to a narrow table of their own, keyed by the record's id (~80 bytes a
-- row, ~50 a page: the same 1,000 records touch ~20 pages). The `cases` / `people` row keeps the summary columns and
-- `valid` and is written only when one of them changes; every writer of `valid` writes the stamp too, so the
-- autosave's stamp check sees it. A deleted record takes its row along (the foreign key).
CREATE TABLE case_versions (
    id         TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO case_versions (id, version, updated_at) SELECT id, version, updated_at FROM cases ORDER BY id;
ALTER TABLE cases DROP COLUMN version;
ALTER TABLE cases DROP COLUMN updated_at;
CREATE TABLE person_versions (
    id         TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO person_versions (id, version, updated_at) SELECT id, version, updated_at FROM people ORDER BY id;
ALTER TABLE people DROP COLUMN version;
ALTER TABLE people DROP COLUMN updated_at;
